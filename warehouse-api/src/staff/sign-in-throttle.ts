import { lt } from "drizzle-orm";
import { RateLimiterPostgres, RateLimiterRes, RateLimiterSQLite } from "rate-limiter-flexible";

import type { Database } from "../db/client.js";
import { signInThrottle } from "../db/schema.js";
import { signInThrottle as pgSignInThrottle } from "../db/schema.postgres.js";

/**
 * How many sign-ins get their password checked (ADR 0009). Each attempt is counted before its password
 * is checked, in one atomic write per limit, so a hundred guesses sent at once are counted as a hundred
 * and only the first few are checked. Counting after the check, as failures, let every guess in flight
 * through. A right password gives its attempt back.
 */
export type SignInLimits = {
  /** One client at one account: its own typos, or a guesser. That client waits out the window. */
  pair: { attempts: number; windowSeconds: number };
  /** One client at any accounts (a spray): more room, since an office or a NAT shares one address. */
  client: { attempts: number; windowSeconds: number };
  /**
   * One account from anywhere: slowed, never locked. Past `attempts` in the window, the account takes
   * one check every `paceSeconds`, so many addresses together still guess slowly, and its owner is
   * told to retry in seconds rather than shut out for the rest of the window.
   */
  account: { attempts: number; windowSeconds: number; paceSeconds: number };
};

export const SIGN_IN_LIMITS: SignInLimits = {
  pair: { attempts: 5, windowSeconds: 15 * 60 },
  client: { attempts: 20, windowSeconds: 15 * 60 },
  account: { attempts: 10, windowSeconds: 15 * 60, paceSeconds: 10 },
};

export type SignInLimit = keyof SignInLimits;

/** A turn to check a password, or which limit said no and for how long. */
export type SignInTurn =
  | {
      ok: true;
      /** The password was right: the attempt is given back, and the pair's count starts again. */ succeeded: () => Promise<void>;
    }
  | { ok: false; limit: SignInLimit; retryAfterSeconds: number };

type Limiter = RateLimiterSQLite | RateLimiterPostgres;

/**
 * rate-limiter-flexible's store for the dialect, on the migrations' table (db/schema.ts and
 * schema.postgres.ts have its layout). On Postgres the counters are shared by every replica, so a guesser
 * spreading attempts across them is counted once.
 */
function limiterFor(database: Database) {
  // The migrations make the table, and the hourly sweep (sweepSignInThrottle) clears it.
  const common = { tableName: "sign_in_throttle", tableCreated: true, clearExpiredByTimeout: false };
  return (keyPrefix: string, points: number, duration: number): Limiter =>
    database.dialect === "postgres"
      ? new RateLimiterPostgres({ ...common, storeClient: database.db.$client, storeType: "pool", keyPrefix, points, duration })
      : new RateLimiterSQLite({ ...common, storeClient: database.db.$client, storeType: "better-sqlite3", keyPrefix, points, duration });
}

export function createSignInThrottle(database: Database, limits: SignInLimits = SIGN_IN_LIMITS) {
  const limiter = limiterFor(database);
  const pair = limiter("pair", limits.pair.attempts, limits.pair.windowSeconds);
  const client = limiter("client", limits.client.attempts, limits.client.windowSeconds);
  const account = limiter("account", limits.account.attempts, limits.account.windowSeconds);
  const pace = limiter("pace", 1, limits.account.paceSeconds);

  /** Takes a point: true, or the limit's refusal (which says how long until it has room); a store error is thrown. */
  async function took(from: Limiter, key: string): Promise<RateLimiterRes | true> {
    try {
      await from.consume(key);
      return true;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return refusal;
      throw refusal;
    }
  }

  return {
    /**
     * Counts an attempt at `email` from `address`, before its password is checked. A refused attempt
     * gives back what it took from the limits before the one that refused it: it was never checked.
     */
    async take(email: string, address: string): Promise<SignInTurn> {
      const accountKey = email.toLowerCase();
      const pairKey = `${address} ${accountKey}`;
      const taken: [Limiter, string][] = [];
      const refuse = async (limit: SignInLimit, refusal: RateLimiterRes): Promise<SignInTurn> => {
        for (const [from, key] of taken) await from.reward(key);
        return { ok: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      };

      for (const [limit, from, key] of [
        ["pair", pair, pairKey],
        ["client", client, address],
      ] as const) {
        const result = await took(from, key);
        if (result !== true) return refuse(limit, result);
        taken.push([from, key]);
      }
      // Past its free attempts, the account is paced rather than refused: one check per pace, from anyone.
      const overFree = await took(account, accountKey);
      taken.push([account, accountKey]);
      if (overFree !== true) {
        const paced = await took(pace, accountKey);
        if (paced !== true) return refuse("account", paced);
      }

      return {
        ok: true,
        succeeded: async () => {
          await pair.delete(pairKey);
          await client.reward(address);
          await account.reward(accountKey);
        },
      };
    },
  };
}

/** Forgets the counters whose window has passed (they would read as zero anyway); returns how many. */
export async function sweepSignInThrottle(database: Database, now = Date.now()): Promise<number> {
  if (database.dialect === "postgres") {
    const { rowCount } = await database.db.delete(pgSignInThrottle).where(lt(pgSignInThrottle.expire, now));
    return rowCount ?? 0;
  }
  const { changes } = await database.db.delete(signInThrottle).where(lt(signInThrottle.expire, now));
  return changes;
}
