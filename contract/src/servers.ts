import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { getRequestListener, serve } from "@hono/node-server";
import { context } from "@opentelemetry/api";
import { handleStatusEvent, jsonRoute, observeRequest, type OrdersRepo } from "store-web/testing";
import { createStatusRelay, createTestWarehouse, TEST_SERVICE_KEYS, type TestWarehouse } from "warehouse-api/testing";

import { createReplayGuard } from "@fishtag/service-auth/tokens";
import type { Logger } from "@fishtag/tracing/logger";

/** The store's test signing key, whose public half the test warehouse trusts; the warehouse's own pair. */
export const STORE_TEST_KEY = TEST_SERVICE_KEYS.store.signingKey;
export { TEST_SERVICE_KEYS };

export type RunningServer = { url: string; close: () => Promise<void> };

function urlOf(address: AddressInfo | string | null): string {
  if (address === null || typeof address === "string") throw new Error("server has no TCP address");
  return `http://127.0.0.1:${address.port}`;
}

/** The real warehouse app on a free port with its own database: the other side of the contract. */
export async function startWarehouse(): Promise<RunningServer & { staffHeaders: TestWarehouse["staffHeaders"]; warehouse: TestWarehouse }> {
  const warehouse = await createTestWarehouse();
  const server = serve({ fetch: warehouse.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  return {
    url: urlOf(server.address()),
    // Reading orders back is the staff API's job: tests sign in like the dashboard does.
    staffHeaders: warehouse.staffHeaders,
    warehouse,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve(warehouse.close());
        });
      }),
  };
}

/** A store route handler (a fetch-style function) on a free port, as Next would serve it. */
export async function startRoute(route: (request: Request) => Promise<Response>): Promise<RunningServer> {
  const listener = getRequestListener(route);
  return startFakeWarehouse((req, res) => void listener(req, res));
}

/**
 * The store's status-event endpoint as server.ts serves it: in a request span that continues the caller's
 * trace (and drops any flags a caller sends), then the route's correlation scope and handler.
 */
export async function startStoreEvents(orders: () => OrdersRepo, logger: Logger): Promise<RunningServer> {
  const replay = createReplayGuard();
  const route = jsonRoute((request, _context, correlationId) =>
    handleStatusEvent(request, correlationId, { orders: orders(), publicKey: TEST_SERVICE_KEYS.warehouse.publicKey, replay, logger }),
  );
  const listener = getRequestListener((request) => route(request, undefined));
  return startFakeWarehouse((req, res) => {
    context.with(observeRequest(req, res), () => void listener(req, res));
  });
}

/** A stand-in that misbehaves on purpose: answers with `handler`, or never answers at all. */
export async function startFakeWarehouse(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RunningServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: urlOf(server.address()),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/**
 * An address nothing listens on. Port 1 (tcpmux) is privileged and unused on any machine that runs
 * these tests; a port freed a moment ago could be taken again by a parallel test file.
 */
export const UNUSED_URL = "http://127.0.0.1:1";

/** The warehouse's status-event relay, delivering to `storeUrl` signed with the warehouse's key (or `signingKey`). */
export function statusRelay(
  warehouse: { warehouse: TestWarehouse },
  storeUrl: string,
  logger: Logger,
  signingKey = TEST_SERVICE_KEYS.warehouse.signingKey,
) {
  return createStatusRelay({ db: warehouse.warehouse.database, logger, storeUrl, signingKey });
}
