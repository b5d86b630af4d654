import { createServer } from "node:http";

import next from "next";

import { CORRELATION_HEADER } from "@fishtag/tracing/correlation";

import { warehouse } from "./src/checkout/warehouse.server";
import { openStoreDatabase } from "./src/db/db.server";
import { env } from "./src/env";
import { CLIENT_ADDRESS_HEADER } from "./src/lib/client-address";
import { logger } from "./src/lib/logger.server";
import { createOrderRelay } from "./src/order-outbox/relay";

/**
 * A thin server around Next for the one thing Next has no hook for: an access line per request with its
 * final status and duration. The correlation ID on that line is the one proxy.ts put on the response.
 */
// The store's database is opened and migrated here, once per process, before Next takes a request (in
// `npm start` and `npm run dev` alike); a database that cannot be opened stops the start. Not in Next's
// own start-up hooks: `next build` runs those too and must not create a database.
const storeDb = openStoreDatabase();
logger.info({ dbPath: env.STORE_DB_PATH }, "store database ready");

// Delivers the orders the checkout could not (issue 5), through the one warehouse client the checkouts
// use: the same breaker. Started as soon as the database is open: what an earlier process left pending
// goes out now.
const relay = createOrderRelay({ db: storeDb, warehouse, logger });
relay.start();

const dev = env.NODE_ENV !== "production";
const app = next({ dev, port: env.STORE_PORT });
const handle = app.getRequestHandler();

await app.prepare();

// Set on SIGTERM: every answer from then on closes its connection behind it, so that clients on kept-alive
// connections move off while their last request is still answered (server.close alone waits for them).
// Not by ending a connection after an answer that went out without the header: a client that has not
// been told may already be sending its next request on it, which would be read and done, but never
// answered. Such a connection gets the header on its next answer, or the keep-alive timeout ends it.
let draining = false;

const server = createServer((req, res) => {
  const started = performance.now();
  if (draining) res.setHeader("connection", "close");
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

function shutdown(signal: NodeJS.Signals) {
  logger.info({ signal }, "shutting down");
  // No more deliveries from here; the one in flight is recorded before the database closes. What is
  // still pending stays in the outbox for the next start.
  const relayStopped = relay.stop();
  draining = true;
  // Also closes the idle kept-alive connections at once (Node 19 and later).
  server.close(() => {
    void Promise.allSettled([app.close(), relayStopped]).finally(() => {
      storeDb.$client.close();
      process.exit(0);
    });
  });
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
