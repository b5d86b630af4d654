import { getTableName } from "drizzle-orm";

import { createReplayGuard, type ReplayGuard } from "@fishtag/service-auth/tokens";
import { postgresReplayGuard } from "@fishtag/service-kit/postgres";

import { database } from "../db/db.server";
import { serviceTokenUses } from "../db/schema.postgres";
import { env } from "../env";
import { logger } from "../lib/logger.server";
import { remember } from "../lib/singleton.server";
import { createWarehouseClient, type WarehouseClient } from "./client.server";

/**
 * The process's one warehouse client, so one circuit breaker: every checkout and the outbox relay see
 * each other's failures, and the health route reports the breaker they use.
 */
export function warehouse(): WarehouseClient {
  return remember("warehouse", () => {
    // Said once, when the client is made, not by every bundle that imports this module.
    if (!env.STORE_SIGNING_KEY) logger.warn("STORE_SIGNING_KEY is not set: the warehouse will refuse the store's orders (401)");
    return createWarehouseClient({
      baseUrl: env.WAREHOUSE_URL,
      timeoutMs: env.WAREHOUSE_TIMEOUT_MS,
      logger,
      signingKey: env.STORE_SIGNING_KEY,
      resilience: { halfOpenAfterMs: env.WAREHOUSE_BREAKER_HALF_OPEN_MS },
    });
  });
}

/**
 * The warehouse's tokens the status-event endpoint has taken: each is good for one event, in any bundle
 * and, on Postgres, at any replica (they share service_token_uses; on SQLite the one process remembers).
 */
export function statusEventReplayGuard(): ReplayGuard {
  return remember("statusEventReplayGuard", () => {
    const opened = database();
    return opened.dialect === "postgres" ? postgresReplayGuard(opened.db.$client, getTableName(serviceTokenUses)) : createReplayGuard();
  });
}
