import { context, trace, ValueType, type Counter } from "@opentelemetry/api";

import { runWithCorrelationId, type Logger } from "@fishtag/tracing/logger";
import { meter } from "@fishtag/tracing/metrics";
import { contextFrom, inSpan, parseTraceContext } from "@fishtag/tracing/spans";

import { createRelayLoop, type TickResult } from "./loop.js";

/** What one delivery attempt did to its outbox row. */
export type DeliveryOutcome = "delivered" | "retried" | "parked";

export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ["delivered", "retried", "parked"];

/** Rows not delivered yet, and rows parked for someone to look at; when the oldest waiting row was written (epoch ms). */
export type Backlog = { pending: number; parked: number; oldestPendingAt?: number | null };

/** The part of an outbox table the relay reads; the service's deliver() writes each row's outcome. */
export type OutboxSource<Row> = {
  /** Up to `limit` rows due at `now` (epoch ms), oldest first. */
  due: (now: number, limit: number) => Promise<Row[]>;
  backlog: () => Promise<Backlog>;
};

/**
 * What the relay needs of a row: the correlation ID of the request that wrote it, and that request's
 * trace context (W3C headers as JSON, stored in the same transaction; null on rows older than tracing).
 */
export type RelayRow = { correlationId: string; traceContext?: string | null; attempts?: number };

export type OutboxRelayOptions<Row extends RelayRow> = {
  /** Names the outbox in the relay's log lines, e.g. "order outbox". */
  name: string;
  /** The outbox's table, named where someone has to look at it (parked rows). */
  table: string;
  outbox: OutboxSource<Row>;
  /** Sends one row and records its outcome on it. Runs in the row's correlation scope, in a span of the row's trace. */
  deliver: (row: Row) => Promise<DeliveryOutcome>;
  logger: Logger;
  /** Epoch ms; tests move it on instead of waiting out a backoff. */
  now?: () => number;
  /** Rows per tick at most. */
  batchSize?: number;
  /** Logged once at start beside the backlog, e.g. where the deliveries go. */
  startFields?: Record<string, unknown>;
};

export type OutboxRelay = {
  /** One look at the outbox: sends what is due now and reports what happened. */
  runOnce: () => Promise<TickResult<DeliveryOutcome>>;
  /** Ticks every `intervalMs`, counted from the end of the previous tick. */
  start: (intervalMs: number) => void;
  /** No more ticks; resolves once the delivery in flight (if any) has finished and been recorded. */
  stop: () => Promise<void>;
  /** Started and not stopped. */
  running: () => boolean;
};

/**
 * A transactional outbox's relay: each row is delivered at least once, oldest first, sequentially, under
 * the correlation ID of the request that wrote it, so one reference traces a late delivery too; and in
 * that request's trace, so its waterfall shows the delivery however late it came (a span linked to the
 * writer's too, which holds across a restart: the context is in the row). The
 * service writes only `deliver`; the state (attempts, next attempt, parked) is in its table, so a
 * restarted process picks up where the last one stopped.
 */
export function createOutboxRelay<Row extends RelayRow>(options: OutboxRelayOptions<Row>): OutboxRelay {
  const { name, table, outbox, deliver, logger, now = Date.now, batchSize = 100, startFields = {} } = options;

  let attempts: Counter | undefined;

  /** The delivery as a span of the trace that wrote the row (a new trace for a row that has none). */
  function deliverInTrace(row: Row): Promise<DeliveryOutcome> {
    const writer = contextFrom(parseTraceContext(row.traceContext));
    const writerSpan = trace.getSpanContext(writer);
    return context.with(writer, () =>
      inSpan(
        `${name} delivery`,
        {
          attributes: { "outbox.name": name, ...(row.attempts === undefined ? {} : { "outbox.attempt": row.attempts + 1 }) },
          ...(writerSpan ? { links: [{ context: writerSpan }] } : {}),
        },
        async (span) => {
          const outcome = await deliver(row);
          span.setAttribute("outbox.outcome", outcome);
          return outcome;
        },
      ),
    );
  }

  async function tick(): Promise<TickResult<DeliveryOutcome>> {
    const result: TickResult<DeliveryOutcome> = { delivered: 0, retried: 0, parked: 0 };
    let sent = 0;
    // An outbox may offer only one row per key at a time (the warehouse's: each order's oldest), and
    // delivering it can make the next one due: look again until nothing is due or the batch is used up.
    // Every row sent is delivered, parked or rescheduled past `startedAt`, so this ends.
    const startedAt = now();
    passes: while (sent < batchSize) {
      const rows = await outbox.due(startedAt, batchSize - sent);
      if (rows.length === 0) break;
      for (const row of rows) {
        // stop() lets the delivery in flight finish, and starts no other.
        if (loop.stopping()) break passes;
        // Sequential on purpose: simple, and a peer that is down fails every row fast.
        const outcome = await runWithCorrelationId(row.correlationId, () => deliverInTrace(row));
        result[outcome] += 1;
        attempts?.add(1, { "outbox.name": name, result: outcome });
        sent += 1;
      }
    }
    // What is still waiting, only after a tick that sent something and only when something is: quiet when idle.
    if (sent > 0) {
      const backlog = await outbox.backlog();
      if (backlog.pending + backlog.parked > 0) logger.info({ tick: result, ...backlog }, `${name} backlog`);
    }
    return result;
  }

  const loop = createRelayLoop({
    outcomes: DELIVERY_OUTCOMES,
    tick,
    onTickError: (error) => {
      logger.error({ err: error }, `${name} relay tick failed`);
    },
  });

  return {
    runOnce: loop.runOnce,
    start(intervalMs) {
      attempts = observeOutbox(name, outbox);
      loop.start(intervalMs);
      // Said once the backlog is read; the loop does not wait for it.
      outbox.backlog().then(
        (backlog) => {
          logger.info({ ...startFields, intervalMs, pending: backlog.pending, parked: backlog.parked }, `${name} relay started`);
          if (backlog.parked > 0)
            logger.warn({ parked: backlog.parked, table }, `${name}: parked rows are waiting in ${table} for someone to look at them`);
        },
        (error: unknown) => {
          logger.error({ err: error }, `${name}: its backlog could not be read at start`);
        },
      );
    },
    stop: loop.stop,
    running: loop.running,
  };
}

/**
 * The outbox as metrics: its backlog as gauges read at each scrape (pending, parked, age of the oldest
 * pending row), and a counter of delivery attempts by result. Made when the relay starts, after the
 * service has registered its meter provider.
 */
function observeOutbox(name: string, outbox: OutboxSource<unknown>): Counter {
  const m = meter();
  const attributes = { "outbox.name": name };
  const pending = m.createObservableGauge("outbox.pending", { description: "Rows waiting to be delivered", valueType: ValueType.INT });
  const parked = m.createObservableGauge("outbox.parked", { description: "Rows refused, waiting for a person", valueType: ValueType.INT });
  const oldest = m.createObservableGauge("outbox.oldest_pending.age", { description: "Age of the oldest waiting row", unit: "s" });
  m.addBatchObservableCallback(
    async (result) => {
      const backlog = await outbox.backlog();
      result.observe(pending, backlog.pending, attributes);
      result.observe(parked, backlog.parked, attributes);
      const at = backlog.oldestPendingAt;
      result.observe(oldest, at === undefined || at === null ? 0 : (Date.now() - at) / 1000, attributes);
    },
    [pending, parked, oldest],
  );
  return m.createCounter("outbox.delivery.attempts", { description: "Delivery attempts, by outbox and result" });
}
