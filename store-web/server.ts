import { createServer } from "node:http";

import next from "next";

import { drainOnSignals } from "@fishtag/service-kit/shutdown";
import { CORRELATION_HEADER } from "@fishtag/tracing/correlation";

import { db } from "./src/db/db.server";
import { env } from "./src/env";
import { CLIENT_ADDRESS_HEADER } from "./src/lib/client-address";
import { logger } from "./src/lib/logger.server";
import { createOrderRelay, RELAY_INTERVAL_MS } from "./src/order-outbox/relay";
import { repos } from "./src/repos.server";
import { warehouse } from "./src/warehouse/warehouse.server";

/**
 * A thin server around Next for what Next has no hook for (ADR 0002): an access line per request with its
 * final status and duration, the outbox relay beside the app, and the drain on SIGTERM. The correlation
 * ID on the access line is the one proxy.ts put on the response.
 */

// Opened and migrated here, once per process, before Next takes a request (in `npm start` and `npm run
// dev` alike): a database that cannot be opened stops the start. Not in Next's own start-up hooks:
// `next build` runs those too and must not create a database.
const storeDb = db();
logger.info({ dbPath: env.STORE_DB_PATH }, "store database ready");

// Delivers the orders the checkout could not, through the process's one warehouse client (the same
// breaker as the checkouts). Started as soon as the database is open: what an earlier process left
// pending goes out now.
const { orders, outbox } = repos();
const relay = createOrderRelay({ orders, outbox, warehouse: warehouse(), logger });
relay.start(RELAY_INTERVAL_MS);

const app = next({ dev: env.NODE_ENV !== "production", port: env.STORE_PORT });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  const started = performance.now();
  // Set here, where the socket is known, over whatever the client sent under the same name.
  req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
  // "close" rather than "finish": a request the client abandoned gets its line too.
  res.on("close", () => {
    const correlationId = res.getHeader(CORRELATION_HEADER);
    // Build assets bypass the proxy and carry no ID: not worth a line each.
    if (typeof correlationId !== "string") return;
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const path = req.url?.split("?")[0];
    // Every open page polls the health route: keep those lines out of the info log.
    const level = path === "/api/health" ? "debug" : "info";
    const aborted = !res.writableFinished;
    logger[level](
      { correlationId, method: req.method, path, status: res.statusCode, durationMs, ...(aborted ? { aborted } : {}) },
      "request completed",
    );
  });
  void handle(req, res);
});

server.listen(env.STORE_PORT, () => {
  logger.info({ port: env.STORE_PORT, warehouseUrl: env.WAREHOUSE_URL }, `store-web listening on http://localhost:${env.STORE_PORT}`);
});

// No more deliveries from the signal on; the one in flight is recorded before the database closes, and
// what is still pending stays in the outbox for the next start.
drainOnSignals(server, {
  logger,
  stop: () => relay.stop(),
  release: async () => {
    try {
      await app.close();
    } finally {
      storeDb.$client.close();
    }
  },
});
