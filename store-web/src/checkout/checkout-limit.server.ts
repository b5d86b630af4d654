import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

import { env } from "../env";
import { remember } from "../lib/singleton.server";

/** How many checkouts one client may attempt per minute; `take` answers 0, or the seconds to wait. */
export type CheckoutLimiter = { take: (client: string) => Promise<number> };

/**
 * Per client address, in this process's memory: the store runs as one process per database, so one
 * counter sees every checkout. Each valid checkout counts, whatever its outcome; a form refused by
 * validation does not (place-order.ts says why).
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

/** The process's one limiter: every checkout from a client counts against the same budget. */
export function checkoutLimiter(): CheckoutLimiter {
  return remember("checkoutLimiter", () => createCheckoutLimiter(env.STORE_CHECKOUT_LIMIT_PER_MINUTE));
}
