import { createServer, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { format } from "node:util";

import { context } from "@opentelemetry/api";
import next from "next";

import { limitHeapGrowth } from "@fishtag/service-kit/heap";
import { drainOnSignals } from "@fishtag/service-kit/shutdown";
import { CORRELATION_HEADER, resolveCorrelationId } from "@fishtag/tracing/correlation";
import { meter, startMetrics } from "@fishtag/tracing/metrics";
import { startTracing } from "@fishtag/tracing/otel";

import { closeDatabase } from "./src/db/client.server";
import { databaseProbe, openStoreDatabase } from "./src/db/db.server";
import { env } from "./src/env";
import { admit, answerClientError, consoleLine, identifyClient, type Refusal } from "./src/front-door";
import { sweepRateLimits } from "./src/lib/limiter";
import { logger } from "./src/lib/logger.server";
import { observeRequest } from "./src/observability/http-server";
import { BREAKER_LEVEL } from "./src/observability/metrics";
import { answerProbe, PROBE_PATHS } from "./src/observability/probes";
import { createOrderRelay, RELAY_INTERVAL_MS } from "./src/order-outbox/relay";
import { repos } from "./src/repos.server";
import { warehouse } from "./src/warehouse/warehouse.server";

/**
 * A thin server around Next for what Next has no hook for (ADR 0002): a front door that refuses what Next
 * would answer with a 500 or read whole before refusing (src/front-door.ts), an access line, a span and
 * the HTTP metrics per request with its final status and duration, the probes, the outbox relay beside
 * the app, and the drain on SIGTERM. The
 * correlation ID on the access line is the one the answer carries (set by proxy.ts, jsonRoute or the
 * front door).
 */

// In production only: a development server compiles pages as they are asked for, in bursts of allocation
// that V8's own heap sizing serves better.
if (env.NODE_ENV === "production") limitHeapGrowth();

// Before anything makes a span: the provider, W3C propagation and the export (OTEL_* variables). Next's
// own spans (a dozen per page: components resolved, modules loaded…) are not recorded unless
// STORE_TRACE_NEXT asks: they cost more of the store's CPU than the request's real steps.
const tracing = startTracing({
  serviceName: env.OTEL_SERVICE_NAME ?? "store-web",
  endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
  protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
  disabled: env.OTEL_SDK_DISABLED,
  unrecordedScopes: env.STORE_TRACE_NEXT ? [] : ["next.js"],
});
// On a listener of its own (loopback by default), so the store's public port never shows it.
const metrics = await startMetrics({ serviceName: "store-web", port: env.STORE_METRICS_PORT, host: env.METRICS_HOST });

// Next writes its own notices and request errors to the console, some in colour, some over several lines,
// some quoting what a client sent. stdout is JSON lines only: each becomes one log line, its first line
// only (the errors themselves reach the log whole, with their reference, through instrumentation.ts).
const CONSOLE_LEVELS = [
  ["log", "info"],
  ["info", "info"],
  ["warn", "warn"],
  ["error", "error"],
] as const;
for (const [method, level] of CONSOLE_LEVELS) {
  console[method] = (...args: unknown[]) => {
    logger[level]({ source: "next" }, consoleLine(format(...args)));
  };
}

// Opened and migrated here, once per process, before Next takes a request (in `npm start` and `npm run
// dev` alike): a database that cannot be opened stops the start. Not in Next's own start-up hooks:
// `next build` runs those too and must not create a database.
const storeDb = await openStoreDatabase((error) => {
  logger.warn({ err: error }, "a database connection was dropped; the pool opens another");
});
logger.info({ database: storeDb.dialect === "postgres" ? "postgres" : env.STORE_DB_PATH }, "store database ready");

// Delivers the orders the checkout could not, through the process's one warehouse client (the same
// breaker as the checkouts). Started as soon as the database is open: what an earlier process left
// pending goes out now.
const { orders, outbox, carts } = repos();
const relay = createOrderRelay({ orders, outbox, warehouse: warehouse(), logger });
relay.start(RELAY_INTERVAL_MS);
meter()
  .createObservableGauge("store.warehouse.circuit_breaker.state", {
    description: "The warehouse client's circuit: 0 closed, 1 half-open (one trial order), 2 open (orders wait in the outbox)",
  })
  .addCallback((result) => {
    result.observe(BREAKER_LEVEL[warehouse().breakerState()]);
  });
const probes = {
  database: databaseProbe(storeDb, (error) => {
    logger.error({ err: error }, "readiness: the database did not answer");
  }),
  relayRunning: relay.running,
};

// Every new cookie makes a cart; those nobody has added to for 30 days are forgotten, hourly.
const CART_TTL_MS = 30 * 24 * 60 * 60 * 1000;
// A failed sweep is tried again at the next hour: nothing depends on it but the tables' size. On Postgres
// the rate limits' counters are swept too (in memory, on SQLite, they forget themselves).
const sweepCarts = () => {
  Promise.all([carts.deleteAbandoned(new Date(Date.now() - CART_TTL_MS)), sweepRateLimits(storeDb)]).then(
    ([forgotten]) => {
      if (forgotten > 0) logger.info({ forgotten }, "abandoned cart lines swept");
    },
    (error: unknown) => {
      logger.error({ err: error }, "the hourly cart sweep failed");
    },
  );
};
sweepCarts();
const cartSweep = setInterval(sweepCarts, 60 * 60 * 1000).unref();

const app = next({ dev: env.NODE_ENV !== "production", port: env.STORE_PORT });
const handle = app.getRequestHandler();
await app.prepare();

/** What the front door refused, by answer: the access line says why instead of a second line. */
const refused = new WeakMap<ServerResponse, Refusal>();

const server = createServer((req, res) => {
  const started = performance.now();
  identifyClient(req, env.STORE_TRUSTED_PROXIES);
  // "close" rather than "finish": a request the client abandoned gets its line too.
  res.on("close", () => {
    const correlationId = res.getHeader(CORRELATION_HEADER);
    // Build assets bypass the proxy and carry no ID: not worth a line each.
    if (typeof correlationId !== "string") return;
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const path = req.url?.split("?")[0];
    const refusal = refused.get(res);
    // Every open page polls the health route, and orchestrators the probes: keep those lines out of the info log.
    const level = refusal ? "warn" : path === "/api/health" || PROBE_PATHS.has(path ?? "") ? "debug" : "info";
    const aborted = !res.writableFinished;
    logger[level](
      {
        correlationId,
        method: req.method,
        path,
        status: res.statusCode,
        durationMs,
        ...(aborted ? { aborted } : {}),
        ...(refusal ? { refused: refusal.error } : {}),
      },
      refusal ? "request refused" : "request completed",
    );
  });
  // The request's span is the active context for everything below: the front door, Next and the app.
  context.with(observeRequest(req, res), () => {
    const path = req.url?.split("?", 1)[0];
    if (req.method === "GET" && (path === "/livez" || path === "/readyz")) {
      const inbound = req.headers[CORRELATION_HEADER];
      void answerProbe(path, res, resolveCorrelationId(typeof inbound === "string" ? inbound : undefined).id, probes);
      return;
    }
    admit(req, res).then(
      (refusal) => {
        if (refusal) refused.set(res, refusal);
        else void handle(req, res);
      },
      // The client went away while its body was read: nothing left to answer.
      () => req.socket.destroy(),
    );
  });
});

// Requests Node's parser cannot read never reach the handler above: answered and logged here instead.
server.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
  const refusal = answerClientError(error, socket);
  if (refusal) {
    logger.warn(
      { correlationId: refusal.correlationId, status: refusal.status, refused: refusal.error, code: error.code },
      "request refused",
    );
  }
});

server.listen(env.STORE_PORT, () => {
  logger.info({ port: env.STORE_PORT, warehouseUrl: env.WAREHOUSE_URL }, `store-web listening on http://localhost:${env.STORE_PORT}`);
  if (metrics.url) logger.info({ url: metrics.url }, "metrics served");
  else logger.error({ problem: metrics.problem }, "metrics not served: their listener could not start");
});

// No more deliveries from the signal on; the one in flight is recorded before the database closes, and
// what is still pending stays in the outbox for the next start.
drainOnSignals(server, {
  logger,
  stop: () => {
    clearInterval(cartSweep);
    return relay.stop();
  },
  release: async () => {
    try {
      await app.close();
    } finally {
      await closeDatabase(storeDb);
      // The spans of the last requests, sent before the process ends.
      await Promise.all([tracing.shutdown(), metrics.shutdown()]);
    }
  },
});
