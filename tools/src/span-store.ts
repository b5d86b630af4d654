import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

import Database from "better-sqlite3";

/**
 * The spans `npm start`'s OTLP receiver keeps (otlp-receiver.ts), in one SQLite file under ./data: the
 * stand-in for a trace backend on a machine that has none. `npm run trace` reads them back as a waterfall.
 */

/** One span as kept: ids in hex as OTLP/JSON carries them, times in nanoseconds since the epoch (as text: past 2^53). */
export type StoredSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  /** 0 unset, 1 ok, 2 error (OTLP's StatusCode). */
  statusCode: number;
  statusMessage: string | null;
  attributes: Record<string, unknown>;
  events: { name: string; timeNs: bigint; attributes: Record<string, unknown> }[];
  correlationId: string | null;
};

/** What `tracesOf` finds for one correlation ID. */
export type CorrelatedTraces = { traces: { traceId: string; spans: StoredSpan[] }[]; truncated: boolean };

type Row = {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: number;
  start_ns: bigint;
  end_ns: bigint;
  status_code: number;
  status_message: string | null;
  attributes: string;
  events: string;
  correlation_id: string | null;
};

const bigintJson = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

export type SpanStore = ReturnType<typeof openSpanStore>;

export function openSpanStore(path: string, { readonly = false }: { readonly?: boolean } = {}) {
  if (!readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly, fileMustExist: readonly });
  db.defaultSafeIntegers(true);
  if (!readonly) {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec(`
      CREATE TABLE IF NOT EXISTS spans (
        trace_id TEXT NOT NULL,
        span_id TEXT NOT NULL,
        parent_span_id TEXT,
        service TEXT NOT NULL,
        name TEXT NOT NULL,
        kind INTEGER NOT NULL,
        start_ns INTEGER NOT NULL,
        end_ns INTEGER NOT NULL,
        status_code INTEGER NOT NULL,
        status_message TEXT,
        attributes TEXT NOT NULL,
        events TEXT NOT NULL,
        correlation_id TEXT,
        PRIMARY KEY (trace_id, span_id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS spans_correlation_id ON spans (correlation_id) WHERE correlation_id IS NOT NULL;
    `);
  }
  const insert = readonly
    ? undefined
    : db.prepare(
        `INSERT OR REPLACE INTO spans VALUES (@trace_id, @span_id, @parent_span_id, @service, @name, @kind, @start_ns, @end_ns,
           @status_code, @status_message, @attributes, @events, @correlation_id)`,
      );
  const insertAll = db.transaction((spans: StoredSpan[]) => {
    for (const span of spans) insert?.run(toRow(span));
  });
  // Span start times are whole milliseconds (the SDK takes them from Date.now()): of two spans begun in the
  // same one, the one that ended first is drawn first, as a step that preceded the other.
  const byTrace = db.prepare("SELECT * FROM spans WHERE trace_id = ? ORDER BY start_ns, end_ns");
  const tracesOfCorrelation = db.prepare("SELECT DISTINCT trace_id FROM spans WHERE correlation_id = ?").pluck();
  const latestTracesOfCorrelation = db
    .prepare("SELECT trace_id FROM spans WHERE correlation_id = ? GROUP BY trace_id ORDER BY MIN(start_ns) DESC, trace_id LIMIT ?")
    .pluck();
  const firstSpansOfTrace = db.prepare("SELECT * FROM spans WHERE trace_id = ? ORDER BY start_ns, end_ns LIMIT ?");

  return {
    add(spans: StoredSpan[]): void {
      insertAll(spans);
    },
    /** Every span of these traces, each trace's oldest first. */
    traces(traceIds: Iterable<string>): StoredSpan[] {
      return [...new Set(traceIds)].flatMap((traceId) => (byTrace.all(traceId) as ReadRow[]).map(fromRow));
    },
    /** The traces any of whose spans carry one of these correlation IDs. */
    traceIdsOf(correlationIds: Iterable<string>): string[] {
      return [...new Set([...correlationIds].flatMap((id) => tracesOfCorrelation.all(id) as string[]))];
    },
    /**
     * The traces of one correlation ID, bounded for a screen: the latest `maxTraces` of them, oldest first,
     * each with its first `maxSpans` spans; `truncated` says something was left out.
     */
    tracesOf(correlationId: string, { maxTraces, maxSpans }: { maxTraces: number; maxSpans: number }): CorrelatedTraces {
      // One more than wanted, to know whether there were more.
      const traceIds = latestTracesOfCorrelation.all(correlationId, maxTraces + 1) as string[];
      let truncated = traceIds.length > maxTraces;
      const traces = traceIds
        .slice(0, maxTraces)
        .reverse()
        .map((traceId) => {
          const spans = (firstSpansOfTrace.all(traceId, maxSpans + 1) as ReadRow[]).map(fromRow);
          if (spans.length > maxSpans) truncated = true;
          return { traceId, spans: spans.slice(0, maxSpans) };
        });
      return { traces, truncated };
    },
    close(): void {
      db.close();
    },
  };
}

function toRow(span: StoredSpan): Row {
  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    service: span.service,
    name: span.name,
    kind: span.kind,
    start_ns: span.startNs,
    end_ns: span.endNs,
    status_code: span.statusCode,
    status_message: span.statusMessage,
    attributes: JSON.stringify(span.attributes, bigintJson),
    events: JSON.stringify(span.events, bigintJson),
    correlation_id: span.correlationId,
  };
}

/** As read back: every integer column comes as a bigint (defaultSafeIntegers), the times being past 2^53. */
type ReadRow = Omit<Row, "kind" | "status_code"> & { kind: bigint; status_code: bigint };

function fromRow(row: ReadRow): StoredSpan {
  const events = JSON.parse(row.events) as { name: string; timeNs: string; attributes: Record<string, unknown> }[];
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    service: row.service,
    name: row.name,
    kind: Number(row.kind),
    startNs: row.start_ns,
    endNs: row.end_ns,
    statusCode: Number(row.status_code),
    statusMessage: row.status_message,
    attributes: JSON.parse(row.attributes) as Record<string, unknown>,
    events: events.map((event) => ({ ...event, timeNs: BigInt(event.timeNs) })),
    correlationId: row.correlation_id,
  };
}
