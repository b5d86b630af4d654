import type { StoredSpan } from "./span-store.js";
import { describeEntry, printable, type LogEntry } from "./timeline.js";

/**
 * A trace as a waterfall: one line per span (service, name, a bar placed on the trace's time line, its
 * duration, ✗ and the reason when it failed), children under their parent, and each log line written in
 * a span under that span. What a trace backend's UI shows, in a terminal.
 */

const BAR_WIDTH = 32;

const ms = (ns: bigint) => Number(ns) / 1e6;

function formatMs(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

/**
 * The log lines no waterfall of these spans shows: written outside any span, or in a span the store has
 * not received (yet: spans are exported in batches, a moment after they end, while the line is already
 * in the file). `npm run trace` lists them below the waterfalls rather than dropping them.
 */
export function linesOutsideSpans(entries: LogEntry[], spans: StoredSpan[]): LogEntry[] {
  const ids = new Set(spans.map((span) => span.spanId));
  return entries.filter((entry) => typeof entry.span_id !== "string" || !ids.has(entry.span_id));
}

/** Next.js's own spans (it marks each with `next.span_type`): the store's request span already names the route. */
const isFrameworkSpan = (span: StoredSpan) => span.attributes["next.span_type"] !== undefined;

/**
 * The spans without Next's own (resolve page components, load route module, its second request span…):
 * each span left is hung under its nearest ancestor that is left, and a log line written in a hidden
 * span is shown under that ancestor too.
 */
export function withoutFrameworkSpans(spans: StoredSpan[], logs: LogEntry[]): { spans: StoredSpan[]; logs: LogEntry[] } {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const shownAncestor = (spanId: string | null): string | null => {
    let current = spanId === null ? undefined : byId.get(spanId);
    for (let hops = 0; current && isFrameworkSpan(current) && hops < 100; hops++)
      current = current.parentSpanId === null ? undefined : byId.get(current.parentSpanId);
    return current ? current.spanId : spanId !== null && !byId.has(spanId) ? spanId : null;
  };
  return {
    spans: spans.filter((span) => !isFrameworkSpan(span)).map((span) => ({ ...span, parentSpanId: shownAncestor(span.parentSpanId) })),
    logs: logs.map((entry) =>
      typeof entry.span_id === "string" && byId.has(entry.span_id)
        ? { ...entry, span_id: shownAncestor(entry.span_id) ?? undefined }
        : entry,
    ),
  };
}

export function formatWaterfall(spans: StoredSpan[], logs: LogEntry[] = []): string {
  if (spans.length === 0) return "";
  const traceId = spans[0]?.traceId ?? "";
  const start = spans.reduce((min, span) => (span.startNs < min ? span.startNs : min), spans[0]?.startNs ?? 0n);
  const end = spans.reduce((max, span) => (span.endNs > max ? span.endNs : max), 0n);
  const total = Math.max(ms(end - start), 0.001);
  const ids = new Set(spans.map((span) => span.spanId));
  const childrenOf = new Map<string | null, StoredSpan[]>();
  for (const span of [...spans].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0))) {
    // A span whose parent is not here (the caller's, in a trace begun elsewhere) is a root of this view.
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), span]);
  }
  const logsOf = new Map<string, LogEntry[]>();
  for (const entry of logs) {
    const spanId = typeof entry.span_id === "string" ? entry.span_id : "";
    if (ids.has(spanId)) logsOf.set(spanId, [...(logsOf.get(spanId) ?? []), entry]);
  }
  const serviceWidth = Math.max(...spans.map((span) => span.service.length));
  const nameWidth = Math.min(48, Math.max(...spans.map((span) => span.name.length + 2 * depthOf(span, spans, ids))));

  const lines = [`trace ${traceId}  ${formatMs(total)}  ${[...new Set(spans.map((span) => span.service))].join(", ")}`];
  const walk = (parent: string | null, depth: number) => {
    for (const span of childrenOf.get(parent) ?? []) {
      const offset = Math.min(BAR_WIDTH - 1, Math.floor((ms(span.startNs - start) / total) * BAR_WIDTH));
      const length = Math.max(1, Math.min(BAR_WIDTH - offset, Math.round((ms(span.endNs - span.startNs) / total) * BAR_WIDTH)));
      const bar = `${" ".repeat(offset)}${"█".repeat(length)}`.padEnd(BAR_WIDTH);
      const failed = span.statusCode === 2 ? `  ✗ ${span.statusMessage ?? "error"}` : "";
      const name = `${"  ".repeat(depth)}${span.name}`.slice(0, nameWidth).padEnd(nameWidth);
      lines.push(
        printable(
          `  ${span.service.padEnd(serviceWidth)}  ${name}  ${bar}  ${formatMs(ms(span.endNs - span.startNs)).padStart(9)}${failed}`,
        ),
      );
      for (const entry of logsOf.get(span.spanId) ?? []) {
        lines.push(
          printable(`  ${" ".repeat(serviceWidth)}  ${"  ".repeat(depth + 1)}· ${entry.level.toUpperCase()} ${describeEntry(entry)}`),
        );
      }
      walk(span.spanId, depth + 1);
    }
  };
  walk(null, 0);
  return lines.join("\n");
}

function depthOf(span: StoredSpan, spans: StoredSpan[], ids: Set<string>): number {
  let depth = 0;
  let parent = span.parentSpanId;
  while (parent && ids.has(parent) && depth < 50) {
    depth++;
    parent = spans.find((candidate) => candidate.spanId === parent)?.parentSpanId ?? null;
  }
  return depth;
}
