import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { getRequestListener } from "@hono/node-server";

import { limitHeapGrowth } from "@fishtag/service-kit/heap";
import { drainOnSignals } from "@fishtag/service-kit/shutdown";
import { createLogger } from "@fishtag/tracing/logger";
import { startMetrics } from "@fishtag/tracing/metrics";
import { startTracing } from "@fishtag/tracing/otel";

import { createApp } from "./app.js";
import { closeDatabase, openDatabase } from "./db/client.js";
import { loadEnv } from "./env.js";
import { deleteExpiredIdempotencyKeys } from "./orders/idempotency.js";
import { ensureAdmin } from "./staff/admin.js";
import { sweepSignInThrottle } from "./staff/sign-in-throttle.js";
import { createStaffRepo } from "./staff/staff.repo.js";
import { createStatusRelay } from "./status-events/relay.js";

const env = loadEnv();
// As the store does: in production, where memory is budgeted.
if (env.NODE_ENV === "production") limitHeapGrowth();
const tracing = startTracing({
  serviceName: env.OTEL_SERVICE_NAME ?? "warehouse-api",
  endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
  protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
  disabled: env.OTEL_SDK_DISABLED,
});

// Before the app is built: its HTTP instrumentation takes the meter provider when it is made.
const metrics = await startMetrics({ serviceName: "warehouse-api", port: env.WAREHOUSE_METRICS_PORT, host: env.METRICS_HOST });

const logger = createLogger({
  service: "warehouse-api",
  level: env.LOG_LEVEL,
  file: env.LOG_FILE,
  pretty: env.NODE_ENV === "development",
});

const db = await openDatabase(env.WAREHOUSE_DATABASE_URL ?? env.WAREHOUSE_DB_PATH, {
  poolSize: env.WAREHOUSE_DB_POOL_SIZE,
  onPoolError: (error) => {
    logger.warn({ err: error }, "a database connection was dropped; the pool opens another");
  },
});
const staff = createStaffRepo(db);
await ensureAdmin(
  staff,
  logger,
  env.WAREHOUSE_ADMIN_EMAIL && env.WAREHOUSE_ADMIN_PASSWORD
    ? { email: env.WAREHOUSE_ADMIN_EMAIL, password: env.WAREHOUSE_ADMIN_PASSWORD }
    : undefined,
);
// Expired sessions are already refused when read, a sign-in counter reads as zero once its window has
// passed, and Idempotency-Keys are kept for their TTL (orders/idempotency.ts says how long, and why): the
// hourly sweep keeps the three tables from growing.
const sweep = async () => {
  await staff.deleteExpiredSessions();
  await sweepSignInThrottle(db);
  const forgotten = await deleteExpiredIdempotencyKeys(db);
  if (forgotten > 0) logger.info({ forgotten }, "expired idempotency keys swept");
};
// A failed sweep is tried again at the next hour: nothing depends on it but the tables' size.
const sweepSafely = () => {
  sweep().catch((error: unknown) => {
    logger.error({ err: error }, "the hourly sweep failed");
  });
};
const sweepHourly = setInterval(sweepSafely, 60 * 60 * 1000).unref();
sweepSafely();

// Status changes go to the Store through the outbox; without STORE_URL they wait there, and go once it is set.
const relay =
  env.STORE_URL && env.WAREHOUSE_SIGNING_KEY
    ? createStatusRelay({ db, logger, storeUrl: env.STORE_URL, signingKey: env.WAREHOUSE_SIGNING_KEY })
    : undefined;

// Built by `vite build` next to this file; in `npm run dev` Vite serves it instead (see the README).
const dashboardDir = fileURLToPath(new URL("./dashboard", import.meta.url));
const app = createApp({
  dashboardDir: existsSync(join(dashboardDir, "index.html")) ? dashboardDir : undefined,
  db,
  logger,
  rejectPrefix: env.WAREHOUSE_REJECT_PREFIX,
  storePublicKey: env.STORE_PUBLIC_KEY,
  exposeErrors: env.NODE_ENV === "development",
  sessionTtlMs: env.WAREHOUSE_SESSION_TTL_HOURS * 60 * 60 * 1000,
  trustedProxies: env.WAREHOUSE_TRUSTED_PROXIES,
  traces: env.WAREHOUSE_TRACES_URL ? { url: env.WAREHOUSE_TRACES_URL } : undefined,
  ...(relay ? { relayRunning: relay.running } : {}),
});

if (relay) relay.start(env.WAREHOUSE_RELAY_INTERVAL_MS);
else logger.info("status events are not sent: STORE_URL is not set");

if (!env.STORE_PUBLIC_KEY) logger.warn("STORE_PUBLIC_KEY is not set: every order from the store is refused (401)");

// A plain node:http server around Hono's listener, as serve() builds it, but typed as one for the drain
// below. The listener answers every request itself, errors included.
const listener = getRequestListener(app.fetch);
const server = createServer((incoming, outgoing) => void listener(incoming, outgoing));
server.listen(env.WAREHOUSE_PORT, () => {
  logger.info(
    { port: env.WAREHOUSE_PORT, database: env.WAREHOUSE_DATABASE_URL ? "postgres" : env.WAREHOUSE_DB_PATH },
    `warehouse-api listening on http://localhost:${env.WAREHOUSE_PORT}`,
  );
  if (metrics.url) logger.info({ url: metrics.url }, "metrics served");
  else logger.error({ problem: metrics.problem }, "metrics not served: their listener could not start");
});

// Stop taking connections and sending status events, let in-flight requests and the delivery in flight
// finish (a delivery gives up after its 5 s timeout), then close the database and flush the spans and logs.
drainOnSignals(server, {
  logger,
  stop: () => {
    clearInterval(sweepHourly);
    return relay?.stop();
  },
  release: async () => {
    await closeDatabase(db);
    // The spans of the last requests, sent before the process ends.
    await Promise.all([tracing.shutdown(), metrics.shutdown()]);
  },
});
