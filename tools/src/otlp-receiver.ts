import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { z } from "zod";

import { isValidCorrelationId } from "@fishtag/tracing/correlation";

import type { SpanStore, StoredSpan } from "./span-store.js";
import { withoutFrameworkSpans } from "./waterfall.js";

/**
 * A small OTLP/HTTP receiver for traces (POST /v1/traces, OTLP's JSON encoding): what `npm start` runs
 * so that a newcomer gets traces without installing a backend. It keeps each span in the span store, and
 * answers GET /api/traces?correlationId=… with them (the staff dashboard's waterfall, through the
 * warehouse). A real deployment points OTEL_EXPORTER_OTLP_ENDPOINT at its collector instead (Jaeger,
 * Tempo, ...), and reads its traces there.
 */

// OTLP/JSON: ids in hex, times as decimal strings of nanoseconds, attribute values tagged by type.
type AnyValue = z.infer<typeof AnyValueSchema>;
const AnyValueSchema: z.ZodType<{
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
}> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: z.union([z.string(), z.number()]).optional(),
    doubleValue: z.number().optional(),
    arrayValue: z.object({ values: z.array(AnyValueSchema).optional() }).optional(),
  }),
);
const AttributesSchema = z.array(z.object({ key: z.string(), value: AnyValueSchema })).default([]);
const NanosSchema = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((value) => BigInt(value));

const SpanSchema = z.object({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  // A root span's parent comes as "" or not at all.
  parentSpanId: z
    .string()
    .optional()
    .transform((id) => (id === "" || id === undefined ? null : id)),
  name: z.string(),
  kind: z.number().int().default(0),
  startTimeUnixNano: NanosSchema,
  endTimeUnixNano: NanosSchema,
  attributes: AttributesSchema,
  events: z.array(z.object({ name: z.string(), timeUnixNano: NanosSchema, attributes: AttributesSchema })).default([]),
  status: z.object({ code: z.number().int().default(0), message: z.string().optional() }).default({ code: 0 }),
});

export const ExportTraceRequestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: AttributesSchema }).default({ attributes: [] }),
        scopeSpans: z.array(z.object({ spans: z.array(SpanSchema).default([]) })).default([]),
      }),
    )
    .default([]),
});

function valueOf(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return null;
}

const attributesOf = (list: z.infer<typeof AttributesSchema>) => Object.fromEntries(list.map(({ key, value }) => [key, valueOf(value)]));

/** The spans of one export request, as the store keeps them. */
export function spansOf(request: z.infer<typeof ExportTraceRequestSchema>): StoredSpan[] {
  return request.resourceSpans.flatMap(({ resource, scopeSpans }) => {
    const serviceName = attributesOf(resource.attributes)["service.name"];
    const service = typeof serviceName === "string" ? serviceName : "unknown";
    return scopeSpans.flatMap(({ spans }) =>
      spans.map((span): StoredSpan => {
        const attributes = attributesOf(span.attributes);
        const correlationId = attributes["fishtag.correlation_id"];
        return {
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId,
          service,
          name: span.name,
          kind: span.kind,
          startNs: span.startTimeUnixNano,
          endNs: span.endTimeUnixNano,
          statusCode: span.status.code,
          statusMessage: span.status.message ?? null,
          attributes,
          events: span.events.map((event) => ({
            name: event.name,
            timeNs: event.timeUnixNano,
            attributes: attributesOf(event.attributes),
          })),
          correlationId: typeof correlationId === "string" ? correlationId : null,
        };
      }),
    );
  });
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * What one query answers at most: a correlation ID is one action (a checkout, a click), whose traces are
 * a handful of a few dozen spans; a busy or reused ID must not make an answer no screen can show.
 */
export const QUERY_LIMITS = { maxTraces: 20, maxSpans: 500 };

/** A span as GET /api/traces sends it: OTLP/JSON's names, nanoseconds as decimal strings (past 2^53). */
export type SpanJson = Omit<StoredSpan, "startNs" | "endNs" | "statusCode" | "statusMessage" | "events"> & {
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: number; message: string | null };
  events: { name: string; timeUnixNano: string; attributes: Record<string, unknown> }[];
};

export type TracesAnswer = { traces: { traceId: string; spans: SpanJson[] }[]; truncated: boolean };

function spanJson({ startNs, endNs, statusCode, statusMessage, events, ...same }: StoredSpan): SpanJson {
  return {
    ...same,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: endNs.toString(),
    status: { code: statusCode, message: statusMessage },
    events: events.map(({ timeNs, ...event }) => ({ ...event, timeUnixNano: timeNs.toString() })),
  };
}

/**
 * GET /api/traces?correlationId=…: the traces of one correlation ID, or why the query is not one. Next's
 * own spans are left out, as `npm run trace` leaves them (their children hung under the nearest span
 * left); `&next=1` keeps them.
 */
function queryTraces(store: SpanStore, query: URLSearchParams): { status: number; body: object } {
  const ids = query.getAll("correlationId");
  const [id] = ids;
  if (ids.length !== 1 || id === undefined || !isValidCorrelationId(id)) {
    return {
      status: 400,
      body: { error: "bad_request", message: "Pass one correlationId: 1–128 characters of letters, digits and . _ : -" },
    };
  }
  const { traces, truncated } = store.tracesOf(id, QUERY_LIMITS);
  const shown = (spans: StoredSpan[]) => (query.get("next") === "1" ? spans : withoutFrameworkSpans(spans, []).spans);
  const answer: TracesAnswer = {
    traces: traces.map(({ traceId, spans }) => ({ traceId, spans: shown(spans).map(spanJson) })),
    truncated,
  };
  return { status: 200, body: answer };
}

function parseExport(text: string): z.infer<typeof ExportTraceRequestSchema> | undefined {
  try {
    const parsed = ExportTraceRequestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Listens on `port` (0: any free one) on loopback; resolves once it does. */
export function startOtlpReceiver(store: SpanStore, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const answer = (status: number, body: object) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://receiver");
    // Read by the warehouse (WAREHOUSE_TRACES_URL), which checks the staff session: this listens on
    // loopback only, like the rest of the receiver.
    if (req.method === "GET" && url.pathname === "/api/traces") {
      const { status, body } = queryTraces(store, url.searchParams);
      answer(status, body);
      return;
    }
    if (req.method !== "POST" || url.pathname !== "/v1/traces") {
      answer(404, { error: "not_found", message: "POST /v1/traces, or GET /api/traces?correlationId=…" });
      return;
    }
    if (!req.headers["content-type"]?.startsWith("application/json")) {
      // OTLP's default is protobuf; this receiver reads the JSON encoding, which npm start asks the services for.
      answer(415, { error: "unsupported_media_type", message: "Send OTLP/JSON (OTEL_EXPORTER_OTLP_PROTOCOL=http/json)." });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on("end", () => {
      const parsed = parseExport(Buffer.concat(chunks).toString("utf8"));
      if (!parsed) {
        answer(400, { error: "bad_request", message: "Not an OTLP/JSON trace export." });
        return;
      }
      store.add(spansOf(parsed));
      // OTLP's success answer: an ExportTraceServiceResponse with nothing rejected.
      answer(200, {});
    });
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${String(bound)}` });
    });
  });
}
