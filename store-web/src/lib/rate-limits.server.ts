import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

import { env } from "../env";
import { remember } from "./singleton.server";

/** A budget of attempts per key (a client address, an order number); `take` answers 0, or the seconds to wait. */
export type Limiter = { take: (key: string) => Promise<number> };

/**
 * In this process's memory: the store runs as one process per database, so one counter sees every
 * attempt. What counts as an attempt is the caller's choice (place-order.ts and find-order.ts say why).
 */
export function createLimiter(points: number, durationSeconds: number): Limiter {
  const limiter = new RateLimiterMemory({ points, duration: durationSeconds });
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return 0;
      } catch (refusal) {
        // The library rejects with its own result object when the budget is spent; anything else is a bug.
        if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw refusal;
      }
    },
  };
}

/** Checkouts per client address per minute: every checkout from a client counts against the same budget. */
export function checkoutLimiter(): Limiter {
  return remember("checkoutLimiter", () => createLimiter(env.STORE_CHECKOUT_LIMIT_PER_MINUTE, 60));
}

/**
 * Guest order lookups (find-order.ts) per client address and, whoever asks, per order number, each per
 * 15 minutes. The second stops many addresses guessing one order's email together.
 */
export function lookupLimiters(): { perClient: Limiter; perOrder: Limiter } {
  return remember("lookupLimiters", () => ({
    perClient: createLimiter(env.STORE_LOOKUP_LIMIT_PER_CLIENT, 15 * 60),
    perOrder: createLimiter(env.STORE_LOOKUP_LIMIT_PER_ORDER, 15 * 60),
  }));
}
