import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runWithCorrelationId } from "@fishtag/tracing/logger";
import { startTracing, type Tracing } from "@fishtag/tracing/otel";
import { inSpan, markRefused } from "@fishtag/tracing/spans";

import { QUERY_LIMITS, startOtlpReceiver, type TracesAnswer } from "./otlp-receiver.js";
import { openSpanStore, type SpanStore, type StoredSpan } from "./span-store.js";
import type { LogEntry } from "./timeline.js";
import { formatWaterfall } from "./waterfall.js";

let store: SpanStore;
let server: Server;
let url: string;
let tracing: Tracing;
beforeAll(async () => {
  store = openSpanStore(join(mkdtempSync(join(tmpdir(), "spans-")), "traces.db"));
  ({ server, url } = await startOtlpReceiver(store, 0));
  // The real exporter, as the services use it, sending OTLP/JSON to the receiver.
  tracing = startTracing({ serviceName: "store-web", endpoint: url, protocol: "http/json" });
});
afterAll(async () => {
  await tracing.shutdown();
  server.close();
  store.close();
});

describe("the OTLP receiver and the waterfall", () => {
  it("keeps the spans a service exports, finds their trace by correlation ID and draws it with its log lines", async () => {
    let spanIds: { trace_id: string; span_id: string } | undefined;
    await runWithCorrelationId("ref-42", () =>
      inSpan("checkout", {}, async (span) => {
        spanIds = { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId };
        await inSpan("POST warehouse", { attributes: { attempt: 1 } }, () => Promise.resolve());
        inSpan("verify service token", {}, () => {
          markRefused("expired");
        });
      }),
    );
    await tracing.flush();

    const traceIds = store.traceIdsOf(["ref-42"]);
    expect(traceIds).toEqual([spanIds?.trace_id]);
    const spans = store.traces(traceIds);
    expect(spans.map((span) => span.name)).toEqual(["checkout", "POST warehouse", "verify service token"]);
    expect(spans[1]).toMatchObject({
      service: "store-web",
      parentSpanId: spans[0]?.spanId,
      attributes: { attempt: 1 },
      correlationId: "ref-42",
    });

    const log: LogEntry = {
      time: "",
      service: "store-web",
      level: "info",
      msg: "checkout: sending the order",
      correlationId: "ref-42",
      ...spanIds,
    };
    const lines = formatWaterfall(spans, [log]).split("\n");
    expect(lines[0]).toMatch(new RegExp(`^trace ${spanIds?.trace_id ?? ""}  \\d+(\\.\\d)? ms  store-web$`));
    expect(lines[1]).toMatch(/^ {2}store-web {2}checkout +█+ +\d+(\.\d)? ms$/);
    expect(lines[2]).toMatch(/^ {15}· INFO checkout: sending the order$/);
    expect(lines[3]).toMatch(/^ {2}store-web {4}POST warehouse +/);
    expect(lines[4]).toMatch(/ {4}verify service token .*✗ expired$/);
  });

  it("refuses what is not an OTLP/JSON export, and a protobuf one with a pointer to the JSON encoding", async () => {
    const post = (body: string, type = "application/json") =>
      fetch(`${url}/v1/traces`, { method: "POST", headers: { "content-type": type }, body });

    expect((await post("{not json")).status).toBe(400);
    expect((await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "x" }] }] }] }))).status).toBe(400);
    const protobuf = await post("\u0000", "application/x-protobuf");
    expect(protobuf.status).toBe(415);
    expect(await protobuf.json()).toMatchObject({ message: expect.stringContaining("http/json") as string });
  });
});

/** A span as the store keeps it, in trace `traceNumber`, started `startMs` after the epoch. */
function storedSpan(traceNumber: number, spanNumber: number, startMs: number, correlationId: string | null): StoredSpan {
  return {
    traceId: traceNumber.toString(16).padStart(32, "0"),
    spanId: (spanNumber + 1).toString(16).padStart(16, "0"),
    parentSpanId: null,
    service: "warehouse-api",
    name: `span ${String(spanNumber)}`,
    kind: 1,
    startNs: BigInt(startMs) * 1_000_000n,
    endNs: BigInt(startMs + 1) * 1_000_000n,
    statusCode: 0,
    statusMessage: null,
    attributes: {},
    events: [],
    correlationId,
  };
}

describe("the receiver's query of one correlation ID's traces", () => {
  const query = async (search: string) => {
    const res = await fetch(`${url}/api/traces${search}`);
    return { status: res.status, body: (await res.json()) as TracesAnswer & { error?: string; message?: string } };
  };

  it("answers every span of each trace the ID is on, OTLP/JSON's names and nanoseconds as text, a refusal with its reason", async () => {
    const traceIds: string[] = [];
    for (const attempt of [1, 2]) {
      runWithCorrelationId("click-9", () => {
        inSpan("POST /api/orders/:id/transitions", {}, (span) => {
          traceIds.push(span.spanContext().traceId);
          inSpan("UPDATE orders", { attributes: { attempt } }, () => {
            if (attempt === 2) markRefused("not allowed from shipped");
          });
        });
      });
    }
    runWithCorrelationId("someone-else", () => {
      inSpan("GET /api/orders", {}, () => undefined);
    });
    await tracing.flush();

    const { status, body } = await query("?correlationId=click-9");
    expect(status).toBe(200);
    expect(body.truncated).toBe(false);
    expect(body.traces.map((trace) => trace.traceId).sort()).toEqual([...traceIds].sort());
    // Traces and spans begun in the same millisecond come in either order (span-store.ts): found by id and name here.
    const [first, second] = traceIds
      .map((traceId) => body.traces.find((trace) => trace.traceId === traceId)?.spans ?? [])
      .map((spans) => ({
        route: spans.find((span) => span.name === "POST /api/orders/:id/transitions"),
        update: spans.find((span) => span.name === "UPDATE orders"),
        count: spans.length,
      }));
    expect(first?.count).toBe(2);
    expect(first?.update).toMatchObject({
      service: "store-web",
      parentSpanId: first?.route?.spanId,
      attributes: { attempt: 1, "fishtag.correlation_id": "click-9" },
      status: { code: 0, message: null },
    });
    for (const span of [first?.route, first?.update]) {
      expect(span?.startTimeUnixNano).toMatch(/^\d{19}$/);
      expect(BigInt(span?.endTimeUnixNano ?? 0)).toBeGreaterThanOrEqual(BigInt(span?.startTimeUnixNano ?? 0));
    }
    expect(second?.update).toMatchObject({
      status: { code: 2, message: "not allowed from shipped" },
      events: [
        { name: "refused", timeUnixNano: expect.stringMatching(/^\d+$/) as string, attributes: { reason: "not allowed from shipped" } },
      ],
    });

    expect(await query("?correlationId=nobody-used-this")).toEqual({ status: 200, body: { traces: [], truncated: false } });
  });

  it("answers at most the latest traces, oldest first, each with its first spans, and says it left some out", async () => {
    const { maxTraces, maxSpans } = QUERY_LIMITS;
    // One trace more than answered, the first of them with one span more than answered.
    const spans = Array.from({ length: maxTraces + 1 }, (_, trace) =>
      Array.from({ length: trace === 1 ? maxSpans + 1 : 2 }, (_, span) => storedSpan(trace + 1, span, 1_000 * trace + span, "busy-id")),
    ).flat();
    store.add(spans);

    const { body } = await query("?correlationId=busy-id");
    expect(body.truncated).toBe(true);
    expect(body.traces).toHaveLength(maxTraces);
    expect(body.traces[0]?.traceId).toBe(storedSpan(2, 0, 0, null).traceId);
    expect(body.traces.at(-1)?.traceId).toBe(storedSpan(maxTraces + 1, 0, 0, null).traceId);
    expect(body.traces[0]?.spans).toHaveLength(maxSpans);
    expect(body.traces[0]?.spans.map((span) => span.name).slice(0, 2)).toEqual(["span 0", "span 1"]);
  });

  it("leaves Next's own spans out unless asked for them, hanging what they held under the span above them", async () => {
    const [route, nextSpan, action] = [0, 1, 2].map((n) => storedSpan(900, n, 5_000_000 + n, "with-next"));
    if (!route || !nextSpan || !action) throw new Error("three spans");
    store.add([
      route,
      { ...nextSpan, parentSpanId: route.spanId, attributes: { "next.span_type": "AppRender.getBodyResult" } },
      { ...action, parentSpanId: nextSpan.spanId },
    ]);

    const [trace] = (await query("?correlationId=with-next")).body.traces;
    expect(trace?.spans.map(({ name, parentSpanId }) => [name, parentSpanId])).toEqual([
      ["span 0", null],
      ["span 2", route.spanId],
    ]);
    const [all] = (await query("?correlationId=with-next&next=1")).body.traces;
    expect(all?.spans.map(({ name }) => name)).toEqual(["span 0", "span 1", "span 2"]);
  });

  it("refuses a query without one valid correlation ID, by the rule the services use for them", async () => {
    for (const search of [
      "",
      "?correlationId=",
      "?correlationId=a%20b",
      `?correlationId=${"x".repeat(129)}`,
      "?correlationId=a&correlationId=b",
    ]) {
      const { status, body } = await query(search);
      expect(status, search).toBe(400);
      expect(body).toMatchObject({ error: "bad_request", message: expect.stringContaining("correlationId") as string });
    }
    expect((await fetch(`${url}/api/traces?correlationId=x`, { method: "POST" })).status).toBe(404);
  });
});
