import { env } from "../env";
import { logger } from "../lib/logger.server";
import { createWarehouseClient } from "./warehouse-client.server";

export const warehouse = createWarehouseClient({ baseUrl: env.WAREHOUSE_URL, timeoutMs: env.WAREHOUSE_TIMEOUT_MS, logger });
