import { getTableName, lt } from "drizzle-orm";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

import type { Database } from "../db/client.server";
import { rateLimits } from "../db/schema.postgres";

/** A budget of attempts per key (a client address, an order number); `take` answers 0, or the seconds to wait. */
export type Limiter = { take: (key: string) => Promise<number> };

/** What the callers see of a rate-limiter-flexible limiter, whatever it keeps its counts in. */
function limiterOf(limiter: RateLimiterAbstract): Limiter {
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return 0;
      } catch (refusal) {
        // The library rejects with its own result object when the budget is spent; anything else is a bug,
        // or the store failing (Postgres unreachable): thrown, not read as a refusal.
        if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw refusal;
      }
    },
  };
}

/**
 * In this process's memory: one counter sees every attempt when the store is one process (SQLite's rule).
 * What counts as an attempt is the caller's choice (place-order.ts and find-order.ts say why).
 */
export function createLimiter(points: number, durationSeconds: number): Limiter {
  return limiterOf(new RateLimiterMemory({ points, duration: durationSeconds }));
}

/**
 * The limiter for the store's database: on Postgres the counts are rows of `rate_limits`
 * (db/schema.postgres.ts), shared by every replica, so a client spreading its attempts across them is
 * counted once; on SQLite (one process) or without a database, memory. `keyPrefix` names the limit: every
 * limit shares the one table, and two limiters with one prefix (two replicas) share their counts.
 */
export function createLimiterFor(database: Database | undefined, keyPrefix: string, points: number, durationSeconds: number): Limiter {
  if (database?.dialect !== "postgres") return limiterOf(new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }));
  return limiterOf(
    new RateLimiterPostgres({
      storeClient: database.db.$client,
      storeType: "pool",
      tableName: getTableName(rateLimits),
      // The migrations make the table (drizzle/postgres), and server.ts's hourly sweepRateLimits clears it: no timer per limiter.
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix,
      points,
      duration: durationSeconds,
    }),
  );
}

/** Forgets the counts whose window has passed (they read as zero anyway); returns how many. Memory needs no sweep. */
export async function sweepRateLimits(database: Database, now = Date.now()): Promise<number> {
  if (database.dialect !== "postgres") return 0;
  const { rowCount } = await database.db.delete(rateLimits).where(lt(rateLimits.expire, now));
  return rowCount ?? 0;
}
