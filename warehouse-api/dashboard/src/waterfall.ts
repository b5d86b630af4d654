import type { Trace, TraceSpan } from "./api.js";

/** A span as the waterfall draws it: under its parent, its bar placed on the trace's time line (0–1). */
export type WaterfallRow = { span: TraceSpan; depth: number; offset: number; width: number };

/** Deeper than this, rows stop stepping in: a phone's width is for the names. */
export const MAX_INDENT = 6;

/**
 * The rows of a trace in reading order: each span after its parent, siblings by start. A span whose parent
 * is not in the trace (the dashboard's click, which records no span; the store's request around an action)
 * starts a root, as in tools/src/waterfall.ts.
 */
export function waterfallRows(trace: Trace): WaterfallRow[] {
  const total = Math.max(trace.durationMs, 0.001);
  const ids = new Set(trace.spans.map((span) => span.spanId));
  const childrenOf = new Map<string | null, TraceSpan[]>();
  const sorted = [...trace.spans].sort((a, b) => a.startMs - b.startMs);
  for (const span of sorted) {
    const parent = span.parentSpanId !== null && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), span]);
  }
  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  const visit = (span: TraceSpan, depth: number) => {
    seen.add(span.spanId);
    const offset = Math.min(1, Math.max(0, span.startMs / total));
    rows.push({ span, depth, offset, width: Math.min(1 - offset, Math.max(0, span.durationMs / total)) });
    // A damaged trace could name a span as its own ancestor: each is drawn once.
    for (const child of childrenOf.get(span.spanId) ?? []) if (!seen.has(child.spanId)) visit(child, depth + 1);
  };
  for (const root of childrenOf.get(null) ?? []) visit(root, 0);
  // Spans in such a loop have no root to hang from: they come last, as roots.
  for (const span of sorted) if (!seen.has(span.spanId)) visit(span, 0);
  return rows;
}

/** "0.4 ms", "12.5 ms", "230 ms", "1.25 s": as precise as a glance needs. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}
