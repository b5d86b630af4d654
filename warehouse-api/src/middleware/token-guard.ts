import { getTableName } from "drizzle-orm";

import { createReplayGuard, type ReplayGuard } from "@fishtag/service-auth/tokens";
import { postgresReplayGuard } from "@fishtag/service-kit/postgres";

import type { Database } from "../db/client.js";
import { serviceTokenUses } from "../db/schema.postgres.js";

/**
 * The Store's tokens accepted so far, so that each is good for one call. On SQLite the one process
 * remembers them; on Postgres every replica must refuse a token another one took, so they share the
 * service_token_uses table (db/schema.postgres.ts).
 */
export function storeTokenGuard(database: Database): ReplayGuard {
  return database.dialect === "postgres" ? postgresReplayGuard(database.db.$client, getTableName(serviceTokenUses)) : createReplayGuard();
}
