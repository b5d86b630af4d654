import { z } from "@hono/zod-openapi";

import { isValidCorrelationId } from "@fishtag/tracing/correlation";

// What GET /api/traces takes and answers, and what it reads from the trace receiver (tools/src/otlp-receiver.ts).

export const TracesQuerySchema = z.object({
  correlationId: z
    .string()
    .refine(isValidCorrelationId, "1–128 characters of letters, digits and . _ : -")
    .openapi({
      param: { name: "correlationId", in: "query" },
      description:
        "A Reference: the correlation ID of an order event (the checkout that placed it, a staff move). 1–128 of `[A-Za-z0-9._:-]`.",
      example: "0190a6e2-7c1d-7000-8000-4c2f6b1e9a01",
    }),
});

export const TraceSpanSchema = z
  .object({
    spanId: z.string(),
    /** Null for a root, and for a span whose parent is not in the answer (the dashboard's click, say). */
    parentSpanId: z.string().nullable(),
    service: z.string(),
    name: z.string(),
    startMs: z.number().openapi({ description: "When the span began, in milliseconds after its trace's first span began." }),
    durationMs: z.number(),
    failure: z.string().nullable().openapi({
      description: "Why the span failed (its error status message, or the reason of its `refused` event); null when it did not.",
    }),
  })
  .openapi("TraceSpan");

export const TraceSchema = z
  .object({
    traceId: z.string(),
    startedAt: z.iso.datetime().openapi({ description: "When its first span began." }),
    durationMs: z.number().openapi({ description: "From its first span's start to its last span's end." }),
    spans: z.array(TraceSpanSchema).openapi({ description: "Oldest first." }),
  })
  .openapi("Trace");

export const TracesSchema = z
  .object({
    correlationId: z.string(),
    traces: z.array(TraceSchema).openapi({ description: "Every trace any of whose spans carries the correlation ID, oldest first." }),
    truncated: z
      .boolean()
      .openapi({ description: "True when the receiver left traces or spans out (it answers at most 20 traces of 500 spans)." }),
  })
  .openapi("Traces");

export type Traces = z.infer<typeof TracesSchema>;
export type Trace = z.infer<typeof TraceSchema>;

const nanos = z.string().regex(/^\d{1,20}$/);

/** The receiver's answer, checked: it is another process, and its answer is shown to staff. */
export const ReceiverAnswerSchema = z.object({
  traces: z.array(
    z.object({
      traceId: z.string().regex(/^[0-9a-f]{32}$/),
      spans: z.array(
        z.object({
          spanId: z.string().regex(/^[0-9a-f]{16}$/),
          parentSpanId: z.string().nullable(),
          service: z.string(),
          name: z.string(),
          startTimeUnixNano: nanos,
          endTimeUnixNano: nanos,
          status: z.object({ code: z.int(), message: z.string().nullable().optional() }),
          events: z.array(z.object({ name: z.string(), attributes: z.record(z.string(), z.unknown()) })).default([]),
        }),
      ),
    }),
  ),
  truncated: z.boolean().default(false),
});

export type ReceiverAnswer = z.infer<typeof ReceiverAnswerSchema>;
