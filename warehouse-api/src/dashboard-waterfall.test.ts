// The dashboard's waterfall (dashboard/src/waterfall.ts): which row comes where, how deep, and where its bar is.
import { describe, expect, it } from "vitest";

import type { Trace, TraceSpan } from "../dashboard/src/api.js";
import { formatDuration, waterfallRows } from "../dashboard/src/waterfall.js";

const span = (spanId: string, parentSpanId: string | null, startMs: number, durationMs: number): TraceSpan => ({
  spanId,
  parentSpanId,
  service: "warehouse-api",
  name: spanId,
  startMs,
  durationMs,
  failure: null,
});

const trace = (spans: TraceSpan[]): Trace => ({ traceId: "t", startedAt: "2026-01-01T00:00:00.000Z", durationMs: 100, spans });

const drawn = (spans: TraceSpan[]) => waterfallRows(trace(spans)).map(({ span: { spanId }, depth }) => `${"  ".repeat(depth)}${spanId}`);

describe("the dashboard's waterfall", () => {
  it("puts each span under its parent, siblings by start, whatever order they came in", () => {
    expect(
      drawn([
        span("relay", "route", 60, 30),
        span("update", "route", 10, 5),
        span("route", "click", 0, 50),
        span("store", "relay", 70, 10),
      ]),
    ).toEqual(["route", "  update", "  relay", "    store"]);
  });

  it("starts a root for a span whose parent is not in the trace (the dashboard's click), and draws a loop once", () => {
    expect(drawn([span("a", "b", 0, 1), span("b", "a", 1, 1), span("c", null, 2, 1)])).toEqual(["c", "a", "  b"]);
  });

  it("places each bar on the trace's time line, inside it even when a clock says otherwise", () => {
    const [first, second] = waterfallRows(trace([span("route", null, 0, 50), span("late", "route", 90, 30)]));
    expect(first).toMatchObject({ offset: 0, width: 0.5 });
    expect(second?.offset).toBe(0.9);
    expect(second?.width).toBeCloseTo(0.1);
  });

  it("writes durations as precisely as a glance needs", () => {
    expect([0.42, 12.5, 230.4, 1250].map(formatDuration)).toEqual(["0.4 ms", "12.5 ms", "230 ms", "1.25 s"]);
  });
});
