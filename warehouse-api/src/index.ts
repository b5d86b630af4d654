import { createLogger } from "@fishtag/tracing/logger";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { openDatabase } from "./db/client.js";
import { loadEnvOrExit } from "./env.js";

const env = loadEnvOrExit();

const logger = createLogger({
  service: "warehouse-api",
  level: env.LOG_LEVEL,
  file: env.LOG_FILE,
  pretty: env.NODE_ENV === "development",
});

const db = openDatabase(env.WAREHOUSE_DB_PATH);
const app = createApp({
  db,
  logger,
  rejectPrefix: env.WAREHOUSE_REJECT_PREFIX,
  exposeErrors: env.NODE_ENV === "development",
});

const server = serve({ fetch: app.fetch, port: env.WAREHOUSE_PORT }, ({ port }) => {
  logger.info({ port, dbPath: env.WAREHOUSE_DB_PATH }, `warehouse-api listening on http://localhost:${port}`);
});

// Stop taking connections, let in-flight requests finish, then close the database and flush the logs.
function shutdown(signal: NodeJS.Signals) {
  logger.info({ signal }, "shutting down");
  server.close(() => {
    db.$client.close();
    logger.flush(() => process.exit(0));
  });
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
