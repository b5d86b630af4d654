/**
 * Follow one correlation ID, or one order, across both services:
 *
 *   npm run trace -- <correlationId | trace id | ST-000123> [--logs <file-or-folder>]... [--spans <traces.db>] [--next]
 *
 * Next.js's own spans (page components resolved, route modules loaded…) are left out unless --next asks.
 *
 * Reads the JSON log files (by default those `npm start` writes to ./data/logs) and the spans its OTLP
 * receiver keeps (./data/traces.db). For that ID, or every request that touched that order (the
 * checkout, a late delivery, each staff move and the event that told the store), it draws each trace as
 * a waterfall with its log lines in their spans, then prints the log lines no span holds; without spans,
 * one time-ordered timeline of every line either service wrote.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";

import { isValidCorrelationId } from "@fishtag/tracing/correlation";

import { LOG_DIR, SPANS_FILE } from "./paths.js";
import { openSpanStore, type StoredSpan } from "./span-store.js";
import { collectTimeline, collectTraceLines, correlationIdsOfOrder, formatTimeline, logFiles } from "./timeline.js";
import { formatWaterfall, linesOutsideSpans, withoutFrameworkSpans } from "./waterfall.js";

const USAGE =
  "usage: npm run trace -- [--logs <file-or-folder>]... [--spans <traces.db>] [--next] [--] <correlationId | trace id | ST-000123>";

/** A W3C trace id: 32 lowercase hex digits. */
const TRACE_ID = /^[0-9a-f]{32}$/;

/** The store's order numbers, as customers quote them (any case). */
const ORDER_NUMBER = /^ST-\d{6,}$/i;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        logs: { type: "string", multiple: true },
        spans: { type: "string" },
        next: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    // e.g. an ID that starts with "-": it has to come after "--" to be read as an ID.
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [wanted] = positionals;
  if (values.help || wanted === undefined || positionals.length > 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const orderNumber = ORDER_NUMBER.test(wanted) ? wanted.toUpperCase() : undefined;
  if (!orderNumber && !isValidCorrelationId(wanted)) {
    console.error("That is not a correlation ID: 1–128 characters of letters, digits and . _ : -");
    return 2;
  }

  const sources = values.logs ?? [LOG_DIR];
  const files = (await Promise.all(sources.map((source) => logFiles(source).catch(() => [])))).flat();
  if (files.length === 0) {
    console.error(`No log files in ${sources.join(", ")}. Start the system with \`npm start\` first, or pass --logs.`);
    return 1;
  }

  const traceId = TRACE_ID.test(wanted) ? wanted : undefined;
  const ids = orderNumber ? await correlationIdsOfOrder(files, orderNumber) : traceId ? new Set<string>() : new Set([wanted]);
  const traces = tracesOf(values.spans ?? SPANS_FILE, traceId ? [traceId] : ids);
  const entries = ids.size > 0 ? await collectTimeline(files, ids) : [];
  const traceLines = traces.length > 0 ? await collectTraceLines(files, new Set(traces.map(([id]) => id))) : [];
  if (entries.length === 0 && traces.length === 0) {
    console.error(`No lines for ${orderNumber ?? wanted} in ${files.length} log file(s), and no spans.`);
    return 1;
  }
  const across = orderNumber ? `, ${ids.size} ${ids.size === 1 ? "request" : "requests"}` : "";
  const services = [...new Set([...entries, ...traceLines].map((entry) => entry.service))];
  console.log(
    `${orderNumber ?? wanted}: ${traces.length} ${traces.length === 1 ? "trace" : "traces"}, ${entries.length} log lines from ${services.join(" and ")}${across}\n`,
  );
  for (const [, spans] of traces) {
    const shown = values.next ? { spans, logs: traceLines } : withoutFrameworkSpans(spans, traceLines);
    console.log(`${formatWaterfall(shown.spans, shown.logs)}\n`);
  }
  // What no span above holds, or everything when there are no spans.
  const rest = linesOutsideSpans(
    entries,
    traces.flatMap(([, spans]) => spans),
  );
  if (rest.length > 0) {
    if (traces.length > 0) console.log("Log lines outside the spans above:\n");
    console.log(formatTimeline(rest, { requests: orderNumber !== undefined }));
  }
  return 0;
}

/** The traces (id and spans, oldest first) that carry these correlation IDs, or these trace ids; none without a span file. */
function tracesOf(file: string, wanted: Iterable<string>): [string, StoredSpan[]][] {
  if (!existsSync(file)) return [];
  const store = openSpanStore(file, { readonly: true });
  try {
    const list = [...wanted];
    const traceIds = list.every((id) => TRACE_ID.test(id)) ? list : store.traceIdsOf(list);
    const spans = store.traces(traceIds);
    const byTrace = new Map<string, StoredSpan[]>();
    for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
    const start = (trace: StoredSpan[]) => trace.reduce((min, span) => (span.startNs < min ? span.startNs : min), trace[0]?.startNs ?? 0n);
    return [...byTrace].sort(([, a], [, b]) => (start(a) < start(b) ? -1 : 1));
  } finally {
    store.close();
  }
}

process.exitCode = await main();
