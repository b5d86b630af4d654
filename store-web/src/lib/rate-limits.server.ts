import { database } from "../db/db.server";
import { env } from "../env";
import { createLimiterFor, type Limiter } from "./limiter";
import { remember } from "./singleton.server";

// The limiters themselves are lib/limiter.ts's; these two names stay here for the modules that import them.
export { createLimiter, type Limiter } from "./limiter";

// On the store's database: in memory on SQLite (one process), in Postgres's rate_limits for replicas, so a
// client spreading its attempts across them is counted once.

/** Checkouts per client address per minute: every checkout from a client counts against the same budget. */
export function checkoutLimiter(): Limiter {
  return remember("checkoutLimiter", () => createLimiterFor(database(), "checkout", env.STORE_CHECKOUT_LIMIT_PER_MINUTE, 60));
}

/**
 * Guest order lookups (find-order.ts) per client address and, whoever asks, per order number, each per
 * 15 minutes. The second stops many addresses guessing one order's email together.
 */
export function lookupLimiters(): { perClient: Limiter; perOrder: Limiter } {
  return remember("lookupLimiters", () => ({
    perClient: createLimiterFor(database(), "lookup-client", env.STORE_LOOKUP_LIMIT_PER_CLIENT, 15 * 60),
    perOrder: createLimiterFor(database(), "lookup-order", env.STORE_LOOKUP_LIMIT_PER_ORDER, 15 * 60),
  }));
}
