import { env } from "../env";
import { logger } from "../lib/logger.server";
import { createWarehouseClient, type WarehouseClient } from "./warehouse-client.server";

// One client per process, so one circuit breaker: every checkout sees the failures of the others, and the
// health route reports the breaker the checkouts use. On globalThis because server.ts and Next's bundles
// (actions, route handlers) are built separately but run in one process (as the database, db.server.ts).
const globalForWarehouse = globalThis as typeof globalThis & { __fishtagWarehouse?: WarehouseClient };

function createProcessClient(): WarehouseClient {
  // Said once, when the client is made: every bundle that imports this module would say it again.
  if (!env.STORE_SIGNING_KEY) logger.warn("STORE_SIGNING_KEY is not set: the warehouse will refuse the store's orders (401)");
  return createWarehouseClient({
    baseUrl: env.WAREHOUSE_URL,
    timeoutMs: env.WAREHOUSE_TIMEOUT_MS,
    logger,
    signingKey: env.STORE_SIGNING_KEY,
    resilience: { halfOpenAfterMs: env.WAREHOUSE_BREAKER_HALF_OPEN_MS },
  });
}

globalForWarehouse.__fishtagWarehouse ??= createProcessClient();

export const warehouse: WarehouseClient = globalForWarehouse.__fishtagWarehouse;
