import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

import { env } from "../env";

/** How many checkouts one client may attempt per minute; `take` answers 0, or the seconds to wait. */
export type CheckoutLimiter = { take: (client: string) => Promise<number> };

/**
 * Per client address, in this process's memory: the store runs as one process per database, so one
 * counter sees every checkout. Attempts count, not orders: a script posting invalid forms is limited too.
 */
export function createCheckoutLimiter(perMinute: number): CheckoutLimiter {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return {
    async take(client) {
      try {
        await limiter.consume(client);
        return 0;
      } catch (refusal) {
        // The library rejects with its own result object when the budget is spent; anything else is a bug.
        if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw refusal;
      }
    },
  };
}

// One per process, like the warehouse client (see warehouse.server.ts for why on globalThis).
const globalForLimiter = globalThis as typeof globalThis & { __fishtagCheckoutLimiter?: CheckoutLimiter };
globalForLimiter.__fishtagCheckoutLimiter ??= createCheckoutLimiter(env.STORE_CHECKOUT_LIMIT_PER_MINUTE);
export const checkoutLimiter: CheckoutLimiter = globalForLimiter.__fishtagCheckoutLimiter;
