import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
} from "@opentelemetry/api";

import { spanTimeNowMillis } from "./clock.js";

// What the services use to make spans and carry a trace across a boundary. Only the OpenTelemetry API:
// without a registered provider (a unit test, a tool) every call here is a cheap no-op.

/** The span attribute and the W3C baggage entry that carry the correlation ID beside the trace. */
export const CORRELATION_ATTRIBUTE = "fishtag.correlation_id";
export const CORRELATION_BAGGAGE = "fishtag.correlation_id";

const tracer = () => trace.getTracer("fishtag");

export { SpanKind };

/**
 * Runs `fn` in a new span, child of the active one: ended when `fn` settles, marked as an error (with the
 * exception recorded) when it throws. `fn` gets the span to add attributes or events.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T {
  return tracer().startActiveSpan(name, options, (span) => {
    const fail = (error: unknown) => {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
      throw error;
    };
    try {
      const result = fn(span);
      if (result instanceof Promise) {
        return result.then((value: unknown) => {
          span.end();
          return value;
        }, fail) as T;
      }
      span.end();
      return result;
    } catch (error) {
      return fail(error);
    }
  });
}

/**
 * A step that refused, as a span of its own made after the fact, from `startedAt` (epoch ms, as
 * `refusalClock()` gives it) to now: a check on every request costs a span only when it refuses, which
 * is when the trace needs it.
 */
export function refusedSpan(name: string, startedAt: number, reason: string, attributes: Attributes = {}): void {
  const span = tracer().startSpan(name, { startTime: startedAt, attributes });
  span.addEvent("refused", { reason, ...attributes });
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
  span.end();
}

/** Now, as a span's start time to hand to refusedSpan later (epoch ms, below the millisecond). */
export const refusalClock = (): number => spanTimeNowMillis();

/** Marks the active span as failed without an exception: a refusal worth finding in the trace. */
export function markRefused(reason: string, attributes: Attributes = {}): void {
  const span = trace.getActiveSpan();
  span?.addEvent("refused", { reason, ...attributes });
  span?.setStatus({ code: SpanStatusCode.ERROR, message: reason });
}

/** The active trace as W3C headers (traceparent, tracestate, baggage), for a call or an outbox row. */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** The context a caller's W3C headers (or an outbox row's stored ones) describe, to continue its trace. */
export function contextFrom(headers: Record<string, string | string[] | undefined> | undefined): Context {
  return headers ? propagation.extract(context.active(), headers) : context.active();
}

/** The W3C headers an outbox keeps of a trace: nothing else from a stored row is let through. */
const STORED_TRACE_HEADERS = ["traceparent", "tracestate", "baggage"] as const;

/**
 * The active trace as an outbox row stores it (JSON of its W3C headers), written in the transaction that
 * writes the row, so that its relay can continue the trace later, after a restart too; null outside a trace.
 */
export function traceContextJson(from: Context = context.active()): string | null {
  const headers = traceHeaders(from);
  return headers.traceparent ? JSON.stringify(headers) : null;
}

/** A stored trace context read back; anything that is not one (an old row, a damaged value) is none. */
export function parseTraceContext(stored: string | null | undefined): Record<string, string> | undefined {
  if (!stored) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const headers: Record<string, string> = {};
  for (const name of STORED_TRACE_HEADERS) {
    const header: unknown = (value as Record<string, unknown>)[name];
    if (typeof header === "string") headers[name] = header;
  }
  return headers.traceparent ? headers : undefined;
}

/** The trace and span ids of the active span, for a log line; none outside a (sampled or not) span. */
export function activeSpanIds(): { trace_id: string; span_id: string } | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
