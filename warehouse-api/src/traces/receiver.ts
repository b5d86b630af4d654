import { fetchErrorCode } from "../lib/fetch-error.js";
import { ReceiverAnswerSchema, type ReceiverAnswer, type Trace, type Traces } from "./traces.schemas.js";

/**
 * The warehouse's side of the trace receiver `npm start` runs (tools/src/otlp-receiver.ts): its read API,
 * GET /api/traces?correlationId=…, which the dashboard's waterfall shows through the warehouse (staff
 * only). A deployment that sends its spans to Jaeger or Tempo has no such receiver, and no URL here.
 */

/** Where the receiver is (WAREHOUSE_TRACES_URL), and how long an answer may take. */
export type TracesSource = { url: string; timeoutMs?: number };

export const DEFAULT_TIMEOUT_MS = 3000;

export type ReceiverResult =
  | { kind: "found"; answer: ReceiverAnswer }
  /** No connection, or no answer in time: `reason` is "timeout" or the system error (ECONNREFUSED, ...). */
  | { kind: "unreachable"; reason: string }
  /** It answered, but not with traces: `reason` says how. */
  | { kind: "bad_answer"; reason: string };

/** Asks the receiver for one correlation ID's traces. Never throws: a failure is a result. */
export async function askReceiver(source: TracesSource, correlationId: string, send: typeof fetch = fetch): Promise<ReceiverResult> {
  const url = new URL("/api/traces", source.url);
  url.searchParams.set("correlationId", correlationId);
  let response: Response;
  try {
    response = await send(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(source.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    return { kind: "unreachable", reason: fetchErrorCode(error) };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { kind: "bad_answer", reason: `status ${String(response.status)}` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    // A body cut off by the timeout is as unreachable as no answer; anything else is not JSON.
    const reason = fetchErrorCode(error);
    return reason === "timeout" ? { kind: "unreachable", reason } : { kind: "bad_answer", reason: "not JSON" };
  }
  const parsed = ReceiverAnswerSchema.safeParse(body);
  return parsed.success ? { kind: "found", answer: parsed.data } : { kind: "bad_answer", reason: "not a traces answer" };
}

/** OTLP's StatusCode for a failed span. */
const STATUS_ERROR = 2;

type ReceiverSpan = ReceiverAnswer["traces"][number]["spans"][number];

/** Why a span failed, as staff should read it; null when it did not. markRefused (@fishtag/tracing) sets both. */
function failureOf(span: ReceiverSpan): string | null {
  const refused = span.events.find((event) => event.name === "refused")?.attributes.reason;
  const reason = typeof refused === "string" && refused !== "" ? refused : null;
  if (span.status.code !== STATUS_ERROR) return reason;
  // OTLP sends no message as "" as often as not at all.
  const message = span.status.message === "" ? undefined : span.status.message;
  return message ?? reason ?? "failed";
}

/** Nanoseconds to milliseconds, to the microsecond: a difference of two span times, small enough for a number. */
const ms = (ns: bigint) => Math.round(Number(ns) / 1000) / 1000;

function toTrace(traceId: string, spans: ReceiverSpan[]): Trace | undefined {
  const timed = spans.map((span) => ({ span, start: BigInt(span.startTimeUnixNano), end: BigInt(span.endTimeUnixNano) }));
  const [first] = timed;
  if (!first) return undefined;
  const start = timed.reduce((min, { start }) => (start < min ? start : min), first.start);
  const end = timed.reduce((max, { end }) => (end > max ? end : max), first.end);
  return {
    traceId,
    startedAt: new Date(Number(start / 1_000_000n)).toISOString(),
    durationMs: ms(end - start),
    spans: timed.map(({ span, start: spanStart, end: spanEnd }) => ({
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      service: span.service,
      name: span.name,
      startMs: ms(spanStart - start),
      durationMs: ms(spanEnd > spanStart ? spanEnd - spanStart : 0n),
      failure: failureOf(span),
    })),
  };
}

/** The receiver's answer as the API gives it: times relative to each trace's start, failures in words. */
export function toTraces(correlationId: string, answer: ReceiverAnswer): Traces {
  return {
    correlationId,
    traces: answer.traces.flatMap(({ traceId, spans }) => toTrace(traceId, spans) ?? []),
    truncated: answer.truncated,
  };
}
