import { lt, sql } from "drizzle-orm";

import { createReplayGuard, type ReplayGuard } from "@fishtag/service-auth/tokens";

import type { Database, PgDb } from "../db/client.js";
import { serviceTokenUses } from "../db/schema.postgres.js";

/** How often a replica clears the tokens that can no longer be used: the table holds about a minute of calls. */
const SWEEP_EVERY_MS = 10_000;

/**
 * The Store's tokens accepted so far, so that each is good for one call. On SQLite the one process
 * remembers them; on Postgres every replica must refuse a token another one took, so the jti is inserted
 * if absent, in one atomic statement, and the insert that finds it there refuses the token.
 */
export function storeTokenGuard(database: Database): ReplayGuard {
  return database.dialect === "postgres" ? sharedReplayGuard(database.db) : createReplayGuard();
}

function sharedReplayGuard(db: PgDb): ReplayGuard {
  let sweptAt = 0;
  return {
    async firstUse(jti, forgetAfter, nowSeconds) {
      const now = nowSeconds * 1000;
      if (now - sweptAt >= SWEEP_EVERY_MS) {
        sweptAt = now;
        await db.delete(serviceTokenUses).where(lt(serviceTokenUses.forgetAfter, new Date(now)));
      }
      const inserted = await db
        .insert(serviceTokenUses)
        .values({ jti, forgetAfter: new Date(forgetAfter * 1000) })
        .onConflictDoNothing()
        .returning({ one: sql`1` });
      return inserted.length === 1;
    },
  };
}
