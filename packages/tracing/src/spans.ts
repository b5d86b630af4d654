import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";

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
export function inSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes }, fn: (span: Span) => T): T {
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

/** The trace and span ids of the active span, for a log line; none outside a (sampled or not) span. */
export function activeSpanIds(): { trace_id: string; span_id: string } | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
