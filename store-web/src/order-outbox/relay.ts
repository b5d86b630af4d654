import { createOutboxRelay, type OutboxRelay } from "@fishtag/relay";

import { deliverOrder, type DeliveryDeps } from "./delivery";

/**
 * The store's outbox relay: delivers the orders the checkout could not, oldest first, with exponential
 * backoff and full jitter per order, through the warehouse client it is given (server.ts gives it the
 * process's one: the checkout's circuit breaker; the Idempotency-Key is the order's id). Each delivery
 * runs under the checkout's correlation ID, so the reference the customer was shown traces the late
 * delivery too. The state is in the database: a restarted store picks up where the last one stopped.
 */

/** How often server.ts has the relay look at the outbox. */
export const RELAY_INTERVAL_MS = 1000;

export type RelayOptions = Pick<DeliveryDeps, "orders" | "outbox" | "warehouse" | "logger" | "backoff"> & {
  /** Epoch ms; tests move it on instead of waiting out a backoff. */
  now?: () => number;
  /** In [0, 1): the jitter. */
  random?: () => number;
  /** Rows per tick at most (default 50). */
  batchSize?: number;
};

export function createOrderRelay({ now = Date.now, random = Math.random, batchSize = 50, ...deps }: RelayOptions): OutboxRelay {
  const delivery: DeliveryDeps = { ...deps, now, random };
  return createOutboxRelay({
    name: "order outbox",
    table: "order_outbox",
    outbox: deps.outbox,
    deliver: async (row) => (await deliverOrder(row, delivery)).outcome,
    logger: deps.logger,
    now,
    batchSize,
  });
}
