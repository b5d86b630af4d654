import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runWithCorrelationId } from "@fishtag/tracing/logger";
import { startTracing, type Tracing } from "@fishtag/tracing/otel";
import { inSpan, markRefused } from "@fishtag/tracing/spans";

import { startOtlpReceiver } from "./otlp-receiver.js";
import { openSpanStore, type SpanStore } from "./span-store.js";
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
