import type { KeyObject } from "node:crypto";

import {
  createLimiter,
  createWarehouseClient,
  handleStatusEvent,
  jsonRoute,
  newCustomer,
  placeOrder,
  testStore,
  type TestStore,
} from "store-web/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storeAuthorization } from "warehouse-api/testing";

import { testKeyPair } from "@fishtag/service-auth/testing";
import { createReplayGuard } from "@fishtag/service-auth/tokens";
import { createLogger, runWithCorrelationId } from "@fishtag/tracing/logger";

import { checkoutForm } from "./forms";
import { startRoute, startWarehouse, statusRelay, STORE_TEST_KEY, TEST_SERVICE_KEYS, type RunningServer } from "./servers";

// The other direction of the contract: the warehouse's status relay, as it runs in the warehouse process,
// delivering to the store's real event endpoint (the route's handler, in its correlation scope).

const logger = createLogger({ service: "contract", level: "silent" });

let warehouse: Awaited<ReturnType<typeof startWarehouse>>;
let store: TestStore;
let storeEvents: RunningServer;
let customer: string;

beforeEach(async () => {
  warehouse = await startWarehouse();
  store = await testStore();
  customer = newCustomer();
  const replay = createReplayGuard();
  const route = jsonRoute((request, _context, correlationId) =>
    handleStatusEvent(request, correlationId, { orders: store.orders, publicKey: TEST_SERVICE_KEYS.warehouse.publicKey, replay, logger }),
  );
  storeEvents = await startRoute((request) => route(request, undefined));
});
afterEach(async () => {
  await Promise.all([warehouse.close(), storeEvents.close()]);
  await store.close();
});

const relay = (signingKey?: KeyObject) => statusRelay(warehouse, storeEvents.url, logger, signingKey);

/** A checkout through the store against the real warehouse: the order both sides know. */
async function placed(reference: string) {
  await store.carts.add(customer, "MUG-TEAL", 1);
  const form = checkoutForm({ reference, line1: "1 Row" });
  const client = createWarehouseClient({ signingKey: STORE_TEST_KEY, baseUrl: warehouse.url, timeoutMs: 5000, logger });
  const state = await runWithCorrelationId(`checkout-${reference}`, () =>
    placeOrder(form, {
      customerId: customer,
      ...store,
      warehouse: client,
      logger,
      admission: { client: "127.0.0.1", limiter: createLimiter(1000, 60) },
    }),
  );
  if (state.status !== "placed") throw new Error(`the checkout was not placed: ${state.status}`);
  const [summary] = await store.orders.listForCustomer(customer);
  const order = summary && (await store.orders.findById(summary.id));
  if (!order?.warehouseOrderId) throw new Error("the store did not learn the warehouse's order id");
  return { storeOrderId: order.id, warehouseOrderId: order.warehouseOrderId };
}

/** A staff member moves an order on the dashboard, under the action's own correlation ID. */
async function move(warehouseOrderId: string, to: string, correlationId: string) {
  const response = await fetch(`${warehouse.url}/api/orders/${warehouseOrderId}/transitions`, {
    method: "POST",
    headers: { ...(await warehouse.staffHeaders()), "content-type": "application/json", "x-correlation-id": correlationId },
    body: JSON.stringify({ to }),
  });
  expect(response.status).toBe(200);
}

const warehouseHistory = async (storeOrderId: string) =>
  (await store.orders.findById(storeOrderId))?.history.filter((change) => change.source === "warehouse") ?? [];

const outboxRows = () =>
  warehouse.warehouse.db.$client.prepare("select state, attempts, last_error as lastError from status_outbox order by id").all();

describe("the warehouse's status relay against the store's event endpoint", () => {
  it("delivers each staff move once, in order, and the store records it under the staff action's correlation ID", async () => {
    const order = await placed("PO-MOVES");
    await move(order.warehouseOrderId, "picking", "staff-pick");
    await move(order.warehouseOrderId, "packed", "staff-pack");

    expect(await relay().runOnce()).toEqual({ delivered: 2, retried: 0, parked: 0 });

    expect((await store.orders.findById(order.storeOrderId))?.status).toBe("packed");
    expect((await warehouseHistory(order.storeOrderId)).map(({ status, correlationId }) => ({ status, correlationId }))).toEqual([
      { status: "picking", correlationId: "staff-pick" },
      { status: "packed", correlationId: "staff-pack" },
    ]);
    expect(await relay().runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0 });
  });

  it("takes a repeated delivery as done: the store acknowledges it and applies it only once", async () => {
    const order = await placed("PO-TWICE");
    await move(order.warehouseOrderId, "picking", "staff-twice");
    expect(await relay().runOnce()).toMatchObject({ delivered: 1 });

    // As after a crash between the store's answer and the warehouse recording it: the row is pending again.
    warehouse.warehouse.db.$client.prepare("update status_outbox set state = 'pending', next_attempt_at = 0").run();
    expect(await relay().runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0 });

    expect(await warehouseHistory(order.storeOrderId)).toHaveLength(1);
  });

  it("parks an event for an order the store never placed: the store's 404 will not change by asking again", async () => {
    const response = await warehouse.warehouse.app.request("/api/orders", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: await storeAuthorization(), "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({
        storeOrderId: crypto.randomUUID(),
        storeOrderNumber: "ST-999999",
        reference: "PO-STRANGER",
        customer: { name: "Bob", email: "bob@example.com" },
        shippingAddress: { line1: "2 Row", city: "Leeds", postalCode: "LS1 1AA", country: "GB" },
        lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 1, unitPriceCents: 1450 }],
        subtotalCents: 1450,
        shippingCents: 495,
        vatCents: 324,
        totalCents: 1945,
      }),
    });
    const { id } = (await response.json()) as { id: string };
    await move(id, "picking", "staff-stranger");

    expect(await relay().runOnce()).toEqual({ delivered: 0, retried: 0, parked: 1 });
    expect(outboxRows()).toEqual([{ state: "parked", attempts: 1, lastError: expect.stringContaining("unknown_order") as unknown }]);
  });

  it("keeps retrying, never parking, while the store refuses the warehouse's token (keys to fix, not the event)", async () => {
    const order = await placed("PO-WRONG-KEY");
    await move(order.warehouseOrderId, "picking", "staff-wrong-key");

    expect(await relay(testKeyPair().signingKey).runOnce()).toEqual({ delivered: 0, retried: 1, parked: 0 });
    expect(outboxRows()).toEqual([{ state: "pending", attempts: 1, lastError: expect.stringContaining("HTTP 401") as unknown }]);
    expect((await store.orders.findById(order.storeOrderId))?.status).toBe("received");
  });
});
