import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { context, propagation, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createLogger, runWithCorrelationId } from "./logger.js";
import { startTracing } from "./otel.js";
import { contextFrom, CORRELATION_ATTRIBUTE, inSpan, traceHeaders } from "./spans.js";

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  startTracing({ serviceName: "test-service", exporter, unrecordedScopes: ["next.js"] });
});
beforeEach(() => {
  exporter.reset();
});

const spans = () => exporter.getFinishedSpans();

describe("tracing", () => {
  it("records nothing for an unrecorded scope, and what runs inside its spans still joins the trace", () => {
    inSpan("request", {}, (request) => {
      trace.getTracer("next.js").startActiveSpan("resolve page components", (framework) => {
        expect(framework.isRecording()).toBe(false);
        expect(framework.spanContext()).toEqual(request.spanContext());
        inSpan("action checkout", {}, () => undefined);
        framework.end();
      });
    });

    const [action, request] = spans();
    expect(spans().map((span) => span.name)).toEqual(["action checkout", "request"]);
    expect(action?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
  });

  it("times spans below the millisecond, so quick steps keep their order: a parent starts before its child, a step after the one before", () => {
    inSpan("request", {}, () => {
      inSpan("first step", {}, () => undefined);
      trace.getTracer("fishtag").startActiveSpan("second step", (span) => {
        span.end();
      });
    });

    const nanos = (time: [number, number]) => BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
    const [first, second, request] = spans().map((span) => ({ start: nanos(span.startTime), end: nanos(span.endTime) }));
    if (!first || !second || !request) throw new Error("three spans expected");
    // All three take microseconds: with the SDK's own millisecond start times these would tie.
    expect(request.start).toBeLessThan(first.start);
    expect(first.end).toBeLessThanOrEqual(second.start);
    expect(second.end).toBeLessThanOrEqual(request.end);
  });

  it("nests spans, stamps each with the correlation ID in scope and carries both in W3C headers", async () => {
    let headers: Record<string, string> = {};
    await runWithCorrelationId("ref-1", () =>
      inSpan("outer", {}, async () => {
        await Promise.resolve();
        inSpan("inner", { attributes: { step: 2 } }, () => {
          headers = traceHeaders();
        });
      }),
    );

    const [inner, outer] = spans();
    expect(outer?.name).toBe("outer");
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(inner?.spanContext().traceId).toBe(outer?.spanContext().traceId);
    expect(inner?.attributes).toMatchObject({ step: 2, [CORRELATION_ATTRIBUTE]: "ref-1" });
    expect(outer?.attributes[CORRELATION_ATTRIBUTE]).toBe("ref-1");
    expect(headers.traceparent).toBe(`00-${inner?.spanContext().traceId}-${inner?.spanContext().spanId}-01`);
    expect(headers.baggage).toBe("fishtag.correlation_id=ref-1");
  });

  it("continues a caller's trace from its traceparent, and keeps the caller's baggage beside the correlation ID", () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const caller = contextFrom({ traceparent: `00-${traceId}-00f067aa0ba902b7-01`, baggage: "flag.priority=on" });
    context.with(caller, () => {
      runWithCorrelationId("ref-2", () => {
        inSpan("handler", {}, () => {
          expect(propagation.getBaggage(context.active())?.getAllEntries()).toEqual([
            ["flag.priority", { value: "on" }],
            ["fishtag.correlation_id", { value: "ref-2" }],
          ]);
        });
      });
    });

    expect(spans()[0]?.spanContext().traceId).toBe(traceId);
    expect(spans()[0]?.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
  });

  it("marks a span that throws as an error, with the exception, and rethrows", async () => {
    await expect(
      inSpan("failing", {}, async () => {
        await Promise.resolve();
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");

    expect(spans()[0]?.status).toEqual({ code: SpanStatusCode.ERROR, message: "disk full" });
    expect(spans()[0]?.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("puts the trace and span ids beside the correlation ID on every log line written in a span", () => {
    const file = join(mkdtempSync(join(tmpdir(), "tracing-")), "test.log");
    const logger = createLogger({ service: "test-service", level: "info", file, stdout: false });
    runWithCorrelationId("ref-3", () => {
      inSpan("work", {}, () => {
        logger.info("inside");
      });
    });
    logger.info("outside");

    const [inside, outside] = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const span = spans()[0]?.spanContext();
    expect(inside).toMatchObject({ correlationId: "ref-3", trace_id: span?.traceId, span_id: span?.spanId });
    expect(outside).not.toHaveProperty("trace_id");
  });
});
