import {
  createLimiter,
  createWarehouseClient,
  newCustomer,
  placeOrder as place,
  testStore,
  type PlaceOrderDeps,
  type TestStore,
} from "store-web/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createLogger, runWithCorrelationId } from "@fishtag/tracing/logger";

import { checkoutForm } from "./forms";
import { startFakeWarehouse, startWarehouse, STORE_TEST_KEY, UNUSED_URL, type RunningServer } from "./servers";

const logger = createLogger({ service: "store-web", level: "silent" });

let store: TestStore;
let customer: string;
beforeEach(async () => {
  store = await testStore();
  customer = newCustomer();
  await store.carts.add(customer, "MUG-TEAL", 2);
  await store.carts.add(customer, "STK-PACK", 1);
});
afterEach(async () => {
  await store.close();
});

type Checkout = PlaceOrderDeps & { correlationId: string };

const depsFor = (baseUrl: string, correlationId: string, timeoutMs = 5000): Checkout => ({
  correlationId,
  customerId: customer,
  carts: store.carts,
  orders: store.orders,
  outbox: store.outbox,
  logger,
  warehouse: createWarehouseClient({ signingKey: STORE_TEST_KEY, baseUrl, timeoutMs, logger }),
  admission: { client: "127.0.0.1", limiter: createLimiter(1000, 60) },
});

/** A checkout as the action runs it: in the request's correlation scope. */
const placeOrder = (form: FormData, { correlationId, ...deps }: Checkout) => runWithCorrelationId(correlationId, () => place(form, deps));

const onlyOrder = async () => {
  const [summary, ...others] = await store.orders.listForCustomer(customer);
  expect(others).toEqual([]);
  return summary ? await store.orders.findById(summary.id) : undefined;
};

describe("placeOrder against the real warehouse", () => {
  let real: Awaited<ReturnType<typeof startWarehouse>>;
  beforeAll(async () => {
    real = await startWarehouse();
  });
  afterAll(() => real.close());

  const warehouseOrder = async (id: string) =>
    (await (await fetch(`${real.url}/api/orders/${id}`, { headers: await real.staffHeaders() })).json()) as {
      storeOrderId: string;
      lines: unknown[];
      correlationId: string;
    };

  it("records the store order, sends it with storeOrderId, keeps the warehouse's id and empties the cart", async () => {
    // A forged price field is ignored: prices come from the catalog through the cart.
    const state = await placeOrder(checkoutForm({ "price.MUG-TEAL": "1" }), depsFor(real.url, "ref-placed"));

    expect(state).toEqual({ status: "placed", reference: "ref-placed", orderNumber: "ST-000001", totalCents: 2 * 1450 + 500 + 495 });
    const order = await onlyOrder();
    // £34.00 of goods and £4.95 shipping: the store's charges, the same in both services.
    expect(order).toMatchObject({
      number: "ST-000001",
      status: "received",
      subtotalCents: 3400,
      shippingCents: 495,
      totalCents: 3895,
      correlationId: "ref-placed",
    });
    expect(order?.history.map(({ status, source, correlationId }) => ({ status, source, correlationId }))).toEqual([
      { status: "pending", source: "checkout", correlationId: "ref-placed" },
      { status: "received", source: "checkout", correlationId: "ref-placed" },
    ]);

    const stored = await warehouseOrder(order?.warehouseOrderId ?? "missing");
    expect(stored.storeOrderId).toBe(order?.id);
    // One order, one number, one set of figures: the warehouse keeps the store's.
    expect(stored).toMatchObject({
      storeOrderNumber: "ST-000001",
      subtotalCents: 3400,
      shippingCents: 495,
      vatCents: 649,
      totalCents: 3895,
    });
    expect(stored.correlationId).toBe("ref-placed");
    expect(stored.lines).toEqual([
      { sku: "MUG-TEAL", name: "Enamel mug", quantity: 2, unitPriceCents: 1450 },
      { sku: "STK-PACK", name: "Sticker pack", quantity: 1, unitPriceCents: 500 },
    ]);
    expect((await store.carts.get(customer)).lines).toEqual([]);
    expect(await store.outbox.find(order?.id ?? "missing")).toMatchObject({ state: "delivered", attempts: 1, correlationId: "ref-placed" });
  });

  it("marks a rejected order rejected, keeps the cart and what was typed", async () => {
    const state = await placeOrder(checkoutForm({ reference: "F-42" }), depsFor(real.url, "ref-rejected"));

    expect(state).toMatchObject({ status: "rejected", reference: "ref-rejected", values: { reference: "F-42", name: "Ada Lovelace" } });
    expect(await onlyOrder()).toMatchObject({ status: "rejected", warehouseOrderId: expect.any(String) });
    // The warehouse has it, as rejected: nothing left to deliver.
    expect((await store.outbox.find((await onlyOrder())?.id ?? "missing"))?.state).toBe("delivered");
    expect((await store.carts.get(customer)).itemCount).toBe(3);
  });

  it("returns field errors without recording or sending anything, keeping every value", async () => {
    const before = (await (await fetch(`${real.url}/api/orders?limit=100`, { headers: await real.staffHeaders() })).json()) as {
      items: unknown[];
    };
    const state = await placeOrder(checkoutForm({ email: "nope", city: " " }), depsFor(real.url, "ref-invalid"));

    expect(state).toMatchObject({
      status: "invalid",
      reference: "ref-invalid",
      fieldErrors: { email: expect.any(String), city: expect.any(String) },
      values: { email: "nope", name: "Ada Lovelace" },
    });
    expect(await store.orders.listForCustomer(customer)).toEqual([]);
    const after = (await (await fetch(`${real.url}/api/orders?limit=100`, { headers: await real.staffHeaders() })).json()) as {
      items: unknown[];
    };
    expect(after.items).toHaveLength(before.items.length);
  });

  it("refuses an empty cart as a field error", async () => {
    await store.carts.clear(customer);
    const state = await placeOrder(checkoutForm(), depsFor(real.url, "ref-empty"));

    expect(state).toMatchObject({ status: "invalid", fieldErrors: { items: "Choose at least one item." } });
    expect(await store.orders.listForCustomer(customer)).toEqual([]);
  });
});

describe("placeOrder when the warehouse cannot take the order", () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it("accepts the order when the warehouse is unreachable: awaiting confirmation, safe in the outbox, cart emptied", async () => {
    const state = await placeOrder(checkoutForm(), depsFor(UNUSED_URL, "ref-down", 2000));

    expect(state).toEqual({ status: "accepted", reference: "ref-down", orderNumber: "ST-000001", totalCents: 3895 });
    const order = await onlyOrder();
    expect(order).toMatchObject({ status: "awaiting_confirmation", warehouseOrderId: null });
    expect(order?.history.map((change) => change.status)).toEqual(["pending", "awaiting_confirmation"]);
    expect(await store.outbox.find(order?.id ?? "missing")).toMatchObject({
      state: "pending",
      attempts: 1,
      correlationId: "ref-down",
      lastError: "unreachable",
    });
    expect(await store.outbox.backlog()).toEqual({ pending: 1, parked: 0 });
    expect((await store.carts.get(customer)).itemCount).toBe(0);
  });

  it("accepts the order when the warehouse is too slow", async () => {
    const silent = await startFakeWarehouse(() => undefined);
    servers.push(silent);
    const state = await placeOrder(checkoutForm(), depsFor(silent.url, "ref-slow", 200));

    expect(state).toMatchObject({ status: "accepted", reference: "ref-slow", orderNumber: "ST-000001" });
    expect((await onlyOrder())?.status).toBe("awaiting_confirmation");
    expect(await store.outbox.find((await onlyOrder())?.id ?? "missing")).toMatchObject({ state: "pending", lastError: "timeout" });
  });

  it("marks the order failed and parks it on an answer outside the contract, keeping the cart for a retry", async () => {
    const refusing = await startFakeWarehouse((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "validation_failed" }));
    });
    servers.push(refusing);
    const state = await placeOrder(checkoutForm(), depsFor(refusing.url, "ref-400"));

    expect(state).toMatchObject({ status: "failed", reference: "ref-400", values: { name: "Ada Lovelace" } });
    const order = await onlyOrder();
    expect(order?.history.map((change) => change.status)).toEqual(["pending", "failed"]);
    expect(await store.outbox.find(order?.id ?? "missing")).toMatchObject({
      state: "parked",
      attempts: 1,
      lastError: "unexpected 400 from the warehouse",
    });
    expect((await store.carts.get(customer)).itemCount).toBe(3);
  });
});

describe("placeOrder for a client that checks out too often", () => {
  const limited = (id: string, client: string, limiter: ReturnType<typeof createLimiter>): Checkout => ({
    ...depsFor(UNUSED_URL, id, 100),
    admission: { client, limiter },
  });

  it("refuses the attempt over the limit with a wait and the reference, recording and sending nothing", async () => {
    const limiter = createLimiter(2, 60);
    // Two attempts are allowed (both end "accepted": nothing listens at UNUSED_URL, so the outbox has them) ...
    for (const id of ["try-1", "try-2"]) {
      await store.carts.add(customer, "MUG-TEAL", 1);
      expect((await placeOrder(checkoutForm(), limited(id, "10.0.0.1", limiter))).status).toBe("accepted");
    }
    const ordersBefore = (await store.orders.listForCustomer(customer)).length;

    // ... the third from the same address is refused before anything is recorded or sent.
    await store.carts.add(customer, "MUG-TEAL", 1);
    const state = await placeOrder(checkoutForm(), limited("try-3", "10.0.0.1", limiter));
    expect(state).toMatchObject({ status: "rate_limited", reference: "try-3", values: { name: "Ada Lovelace" } });
    expect(state.status === "rate_limited" && state.retryAfterSeconds).toBeGreaterThan(0);
    expect(await store.orders.listForCustomer(customer)).toHaveLength(ordersBefore);

    // Another address has its own budget.
    await store.carts.add(customer, "MUG-TEAL", 1);
    expect((await placeOrder(checkoutForm(), limited("other", "10.0.0.2", limiter))).status).toBe("accepted");
  });

  it("does not count a form refused by validation: fixing a typo spends no checkout", async () => {
    const limiter = createLimiter(1, 60);
    for (const id of ["typo-1", "typo-2", "typo-3"]) {
      expect((await placeOrder(checkoutForm({ email: "not an email" }), limited(id, "10.0.0.3", limiter))).status).toBe("invalid");
    }
    expect((await placeOrder(checkoutForm(), limited("fixed", "10.0.0.3", limiter))).status).toBe("accepted");
    await store.carts.add(customer, "MUG-TEAL", 1);
    expect((await placeOrder(checkoutForm(), limited("one-too-many", "10.0.0.3", limiter))).status).toBe("rate_limited");
  });
});
