import { createRelayLoop, type TickResult as LoopTickResult } from "@fishtag/relay";
import { runWithCorrelationId } from "@fishtag/tracing/logger";

import type { Db } from "../db/client.server";
import { createOrdersRepo } from "../orders/orders.repo";
import { deliverOrder, type DeliveryDeps, type DeliveryOutcome } from "./delivery";
import { createOrderOutbox, DEFAULT_BACKOFF } from "./order-outbox.repo";

/**
 * The store's outbox relay (issue 5): delivers the orders the checkout could not, oldest first, with
 * exponential backoff and full jitter per order, through the process's one warehouse client (so the same
 * Idempotency-Key, the store's order id, and the same circuit breaker as the checkout). Each delivery
 * runs under the checkout's correlation ID, so the reference the customer was shown traces the late
 * delivery too. The state is in the database: a restarted store picks up where the last one stopped.
 * Modelled on the warehouse's status-events relay.
 */

/** How often server.ts has the relay look at the outbox. */
export const RELAY_INTERVAL_MS = 1000;

export type RelayOptions = Pick<DeliveryDeps, "warehouse" | "logger" | "backoff"> & {
  db: Db;
  /** Epoch ms; tests move it on instead of waiting out a backoff. */
  now?: () => number;
  /** In [0, 1): the jitter. */
  random?: () => number;
  /** Rows per tick at most (default 50). */
  batchSize?: number;
};

const OUTCOMES: readonly DeliveryOutcome[] = ["delivered", "retried", "parked"];
export type TickResult = LoopTickResult<DeliveryOutcome>;

export type OrderRelay = ReturnType<typeof createOrderRelay>;

export function createOrderRelay(options: RelayOptions) {
  const { db, warehouse, logger, now = Date.now, random = Math.random, batchSize = 50, backoff = DEFAULT_BACKOFF } = options;
  const outbox = createOrderOutbox(db);
  const deps: DeliveryDeps = { orders: createOrdersRepo(db), outbox, warehouse, logger, now, random, backoff };

  async function tick(): Promise<TickResult> {
    const result: TickResult = { delivered: 0, retried: 0, parked: 0 };
    // One pass over what is due now: every row sent is delivered, parked or rescheduled into the future.
    const rows = outbox.due(now(), batchSize);
    for (const row of rows) {
      // stop() lets the delivery in flight finish, and starts no other.
      if (loop.stopping()) break;
      // Sequential on purpose: simple, and with the warehouse down the open circuit fails every row fast.
      const { outcome } = await runWithCorrelationId(row.correlationId, () => deliverOrder(row, deps));
      result[outcome] += 1;
    }
    if (rows.length > 0) {
      const backlog = outbox.backlog();
      if (backlog.pending + backlog.parked > 0) logger.info({ tick: result, ...backlog }, "order outbox backlog");
    }
    return result;
  }

  const loop = createRelayLoop({
    outcomes: OUTCOMES,
    tick,
    onTickError: (error) => {
      logger.error({ err: error }, "order relay tick failed");
    },
  });

  return {
    /** One look at the outbox: sends what is due now and reports what happened. */
    runOnce: loop.runOnce,

    /** Ticks every `intervalMs`, counted from the end of the previous tick. */
    start(intervalMs = RELAY_INTERVAL_MS) {
      const backlog = outbox.backlog();
      logger.info({ intervalMs, ...backlog }, "order outbox relay started");
      if (backlog.parked > 0) logger.warn({ parked: backlog.parked }, "parked orders are waiting in order_outbox");
      loop.start(intervalMs);
    },

    /** No more ticks; resolves once the delivery in flight (if any) has finished and been recorded. */
    stop: loop.stop,
  };
}
