import { describe, expect, it } from "vitest";

import type { StoredSpan } from "./span-store.js";
import type { LogEntry } from "./timeline.js";
import { formatWaterfall, linesOutsideSpans, withoutFrameworkSpans } from "./waterfall.js";

const span = (spanId: string, parentSpanId: string | null, name: string, nextType?: string): StoredSpan => ({
  traceId: "t",
  spanId,
  parentSpanId,
  service: "store-web",
  name,
  kind: 1,
  startNs: BigInt(spanId.length) * 1_000_000n,
  endNs: 10_000_000n,
  statusCode: 0,
  statusMessage: null,
  attributes: nextType ? { "next.span_type": nextType } : {},
  events: [],
  correlationId: "c",
});

describe("linesOutsideSpans", () => {
  it("keeps the lines no span shows: written outside any span, or in one whose span has not arrived yet", () => {
    const line = (msg: string, spanId?: string): LogEntry => ({
      time: "",
      service: "store-web",
      level: "info",
      msg,
      correlationId: "c",
      ...(spanId ? { span_id: spanId } : {}),
    });
    const entries = [line("in a span", "a"), line("outside any span"), line("in a span not exported yet", "zz")];

    expect(linesOutsideSpans(entries, [span("a", null, "POST /api/warehouse-events")]).map((entry) => entry.msg)).toEqual([
      "outside any span",
      "in a span not exported yet",
    ]);
  });
});

describe("withoutFrameworkSpans", () => {
  it("leaves Next's own spans out and hangs what they held, spans and log lines, under the nearest span left", () => {
    const spans = [
      span("a", null, "POST /orders/new"),
      span("bb", "a", "POST", "BaseServer.handleRequest"),
      span("ccc", "bb", "resolve page components", "NextNodeServer.findPageComponents"),
      span("dddd", "ccc", "action checkout"),
    ];
    const log: LogEntry = {
      time: "",
      service: "store-web",
      level: "info",
      msg: "written in a Next span",
      correlationId: "c",
      span_id: "ccc",
    };
    const shown = withoutFrameworkSpans(spans, [log]);

    expect(shown.spans.map(({ spanId, parentSpanId }) => [spanId, parentSpanId])).toEqual([
      ["a", null],
      ["dddd", "a"],
    ]);
    expect(shown.logs[0]?.span_id).toBe("a");
    const lines = formatWaterfall(shown.spans, shown.logs).split("\n");
    expect(lines[1]).toMatch(/^ {2}store-web {2}POST \/orders\/new /);
    expect(lines[2]).toMatch(/^ {15}· INFO written in a Next span$/);
    expect(lines[3]).toMatch(/^ {2}store-web {4}action checkout /);
  });

  it("keeps a span whose parent is in another service's part of the trace where it was", () => {
    const shown = withoutFrameworkSpans([span("x", "elsewhere", "POST /api/orders")], []);
    expect(shown.spans[0]?.parentSpanId).toBe("elsewhere");
  });
});
