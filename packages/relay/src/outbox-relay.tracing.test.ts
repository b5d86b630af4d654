import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { beforeAll, describe, expect, it } from "vitest";

import { createLogger } from "@fishtag/tracing/logger";
import { startTracing } from "@fishtag/tracing/otel";
import { inSpan, parseTraceContext, traceContextJson } from "@fishtag/tracing/spans";

import { createOutboxRelay, type DeliveryOutcome } from "./outbox-relay.js";

const logger = createLogger({ service: "test", level: "silent" });
const exporter = new InMemorySpanExporter();
beforeAll(() => {
  startTracing({ serviceName: "test", exporter });
});

type Row = { id: number; correlationId: string; traceContext: string | null; attempts: number; delivered: boolean };

function relayOver(rows: Row[], deliver: (row: Row) => Promise<DeliveryOutcome>) {
  return createOutboxRelay({
    name: "test outbox",
    table: "test_outbox",
    outbox: { due: () => Promise.resolve(rows.filter((row) => !row.delivered)), backlog: () => Promise.resolve({ pending: 0, parked: 0 }) },
    logger,
    deliver,
  });
}

describe("the relay's traces", () => {
  it("delivers a row in the trace of the request that wrote it, as a child of its span and linked to it, with its outcome", async () => {
    // The request that wrote the row: its context is stored with it, and the request is long over.
    const written = inSpan("checkout", {}, (span) => ({ stored: traceContextJson(), writer: span.spanContext() }));
    const rows: Row[] = [{ id: 1, correlationId: "c-1", traceContext: written.stored, attempts: 2, delivered: false }];
    let callerSpan: string | undefined;
    const relay = relayOver(rows, (row) => {
      callerSpan = trace.getActiveSpan()?.spanContext().spanId;
      row.delivered = true;
      return Promise.resolve("delivered");
    });

    exporter.reset();
    await relay.runOnce();

    const [delivery] = exporter.getFinishedSpans();
    expect(delivery?.name).toBe("test outbox delivery");
    expect(delivery?.spanContext().traceId).toBe(written.writer.traceId);
    expect(delivery?.parentSpanContext?.spanId).toBe(written.writer.spanId);
    expect(delivery?.links.map((link) => link.context.spanId)).toEqual([written.writer.spanId]);
    expect(delivery?.attributes).toMatchObject({ "outbox.attempt": 3, "outbox.outcome": "delivered", "fishtag.correlation_id": "c-1" });
    // What deliver() sends from is that span: the call it makes carries the same trace onward.
    expect(callerSpan).toBe(delivery?.spanContext().spanId);
  });

  it("starts a trace of its own for a row without a stored context, or with one that is not valid", async () => {
    const rows: Row[] = [
      { id: 1, correlationId: "c-1", traceContext: null, attempts: 0, delivered: false },
      { id: 2, correlationId: "c-2", traceContext: '{"traceparent":"00-zz-yy-01"}', attempts: 0, delivered: false },
      { id: 3, correlationId: "c-3", traceContext: "not json", attempts: 0, delivered: false },
    ];
    const relay = relayOver(rows, (row) => {
      row.delivered = true;
      return Promise.resolve("delivered");
    });

    exporter.reset();
    await context.with(context.active(), () => relay.runOnce());

    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(3);
    for (const span of spans) {
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.links).toEqual([]);
    }
  });
});

describe("parseTraceContext", () => {
  it("keeps only the W3C headers, as strings, and only with a traceparent", () => {
    expect(parseTraceContext('{"traceparent":"00-a-b-01","baggage":"k=v","authorization":"x","tracestate":7}')).toEqual({
      traceparent: "00-a-b-01",
      baggage: "k=v",
    });
    expect(parseTraceContext('{"baggage":"k=v"}')).toBeUndefined();
    expect(parseTraceContext("[1]")).toBeUndefined();
    expect(parseTraceContext(null)).toBeUndefined();
  });
});
