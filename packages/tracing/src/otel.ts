import {
  context,
  propagation,
  ProxyTracerProvider,
  trace,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type Link,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
  type TracerOptions,
  type TracerProvider,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { CompositePropagator, isTimeInput, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter as OtlpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-node";

import { spanTimeNow } from "./clock.js";
import { FLAGS_ATTRIBUTE, flagsValueIn } from "./flags.js";
import { currentCorrelationId } from "./logger.js";
import { CORRELATION_ATTRIBUTE } from "./spans.js";

/**
 * OpenTelemetry for one service: W3C Trace Context and Baggage in and out, spans exported over OTLP when
 * an endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT, as every OTLP backend documents it), and the request's
 * correlation ID on every span. The correlation ID stays what people quote; the trace shows the timing of
 * each hop under it.
 */
export type TracingOptions = {
  serviceName: string;
  /** OTLP over HTTP; without it spans are made (log lines carry their ids, calls carry traceparent) but not sent. */
  endpoint?: string | undefined;
  /** http/protobuf is OTLP's default; http/json is easier to read for a small receiver. */
  protocol?: "http/protobuf" | "http/json";
  /** Tests: an in-memory exporter, its spans handed over at once. */
  exporter?: SpanExporter;
  /** OTEL_SDK_DISABLED: nothing is registered, every span is a no-op (the baseline tracing is measured against). */
  disabled?: boolean;
  /**
   * Instrumentation scopes (tracer names) whose spans are not recorded: the store leaves out Next's own
   * ("next.js"), a dozen per page that cost more than the request's real steps and say little about them.
   */
  unrecordedScopes?: readonly string[];
};

/**
 * A span timed below the millisecond (clock.ts). The SDK starts a span at Date.now(), to the millisecond: a
 * request's steps take fractions of one, so a parent and its first child, or two quick siblings, would start
 * "at once" and a waterfall could not tell their order.
 *
 * A wrapper rather than a patched SDK span: replacing `end` on each span changed the shape of the SDK's
 * objects and cost about 10 µs per request (two spans, measured); delegating costs nothing measurable.
 */
class PreciseSpan implements Span {
  constructor(private readonly inner: Span) {}
  spanContext(): SpanContext {
    return this.inner.spanContext();
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.inner.setAttribute(key, value);
    return this;
  }
  setAttributes(attributes: Attributes): this {
    this.inner.setAttributes(attributes);
    return this;
  }
  // Given a start time, the SDK stamps events, exceptions and the end at Date.now() too.
  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (isTimeInput(attributesOrTime)) this.inner.addEvent(name, attributesOrTime);
    else this.inner.addEvent(name, attributesOrTime, time ?? spanTimeNow());
    return this;
  }
  addLink(link: Link): this {
    this.inner.addLink(link);
    return this;
  }
  addLinks(links: Link[]): this {
    this.inner.addLinks(links);
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.inner.setStatus(status);
    return this;
  }
  updateName(name: string): this {
    this.inner.updateName(name);
    return this;
  }
  end(endTime?: TimeInput): void {
    this.inner.end(endTime ?? spanTimeNow());
  }
  isRecording(): boolean {
    return this.inner.isRecording();
  }
  recordException(exception: Exception, time?: TimeInput): void {
    this.inner.recordException(exception, time ?? spanTimeNow());
  }
}

/** Hands out PreciseSpans: begun now on that clock unless given a start time, and ended on it. */
class PreciseTracer implements Tracer {
  constructor(private readonly inner: Tracer) {}

  startSpan(name: string, options: SpanOptions = {}, parent?: Context): Span {
    return new PreciseSpan(this.inner.startSpan(name, { ...options, startTime: options.startTime ?? spanTimeNow() }, parent));
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, parent: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, a: SpanOptions | F, b?: Context | F, c?: F): ReturnType<F> {
    const fn = typeof a === "function" ? a : typeof b === "function" ? b : c;
    if (!fn) throw new TypeError("startActiveSpan: no function to run in the span");
    const parent = b != null && typeof b === "object" ? b : context.active();
    const span = this.startSpan(name, typeof a === "function" ? {} : a, parent);
    return context.with(trace.setSpan(parent, span), () => fn(span) as ReturnType<F>);
  }
}

/**
 * The provider as the API sees it: precise clocks, and tracers of the unrecorded scopes are the API's
 * no-op tracer, whose spans carry their parent's ids (so what runs inside them still joins the trace) and
 * record nothing.
 */
class ServiceTracerProvider implements TracerProvider {
  // Without a delegate, the API's proxy hands out its no-op tracer, which is what is wanted here and which
  // the API exports no other way. (Deprecated for the next major version of the API, which is not this one.)
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  private readonly noop = new ProxyTracerProvider();
  constructor(
    private readonly provider: TracerProvider,
    private readonly unrecorded: ReadonlySet<string>,
  ) {}
  // Code asks for its tracer on every request: one per scope, made once.
  private readonly tracers = new Map<string, Tracer>();
  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    if (this.unrecorded.has(name)) return this.noop.getTracer(name, version, options);
    const key = `${name}@${version ?? ""}:${options?.schemaUrl ?? ""}`;
    let tracer = this.tracers.get(key);
    if (!tracer) this.tracers.set(key, (tracer = new PreciseTracer(this.provider.getTracer(name, version, options))));
    return tracer;
  }
}

export type Tracing = {
  /** Sends what is buffered and stops: call it on shutdown, after the server has closed. */
  shutdown: () => Promise<void>;
  /** Sends what is buffered now (tests). */
  flush: () => Promise<void>;
};

/**
 * Stamps every span with the correlation ID of the request it belongs to, and the flags in its baggage,
 * whoever made the span.
 */
class CorrelationIdProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const correlationId = currentCorrelationId();
    if (correlationId) span.setAttribute(CORRELATION_ATTRIBUTE, correlationId);
    const flags = flagsValueIn(parentContext);
    if (flags !== "") span.setAttribute(FLAGS_ATTRIBUTE, flags);
  }
  onEnd(): void {
    // Nothing to do: the attribute is set at the start, while the request's scope is active.
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Registers the process's tracer provider, context manager and propagators. Once per process. */
export function startTracing({
  serviceName,
  endpoint,
  protocol = "http/protobuf",
  exporter,
  disabled = false,
  unrecordedScopes = [],
}: TracingOptions): Tracing {
  if (disabled) return { shutdown: () => Promise.resolve(), flush: () => Promise.resolve() };
  const url = endpoint && `${endpoint.replace(/\/$/, "")}/v1/traces`;
  const chosen =
    exporter ?? (url ? (protocol === "http/json" ? new OtlpJsonExporter({ url }) : new OtlpProtobufExporter({ url })) : undefined);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    spanProcessors: [
      new CorrelationIdProcessor(),
      // Batched, off the request path: a span costs its recording, the export happens every few seconds.
      // A test's exporter gets each span as it ends.
      ...(exporter ? [new SimpleSpanProcessor(exporter)] : chosen ? [new BatchSpanProcessor(chosen)] : []),
    ],
  });
  // What provider.register() does, with the scope filter in front of the provider.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(new ServiceTracerProvider(provider, new Set(unrecordedScopes)));
  return { shutdown: () => provider.shutdown(), flush: () => provider.forceFlush() };
}
