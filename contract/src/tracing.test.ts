import { context, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import {
  createLimiter,
  createOrderRelay,
  createWarehouseClient,
  newCustomer,
  placeOrder,
  testStore,
  type PlaceOrderDeps,
  type TestStore,
} from "store-web/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createLogger, runWithCorrelationId } from "@fishtag/tracing/logger";
import { startTracing } from "@fishtag/tracing/otel";
import { inSpan } from "@fishtag/tracing/spans";

import { checkoutForm } from "./forms";
import {
  startFakeWarehouse,
  startStoreEvents,
  startWarehouse,
  statusRelay,
  STORE_TEST_KEY,
  UNUSED_URL,
  type RunningServer,
} from "./servers";

// One trace across both services, as the services make it: the store's checkout and its warehouse client,
// the real warehouse app, both outboxes' relays and the store's event endpoint, all in this process, the
// spans caught in memory.

const logger = createLogger({ service: "contract", level: "silent" });
const exporter = new InMemorySpanExporter();
beforeAll(() => {
  startTracing({ serviceName: "contract", exporter });
});

let warehouse: Awaited<ReturnType<typeof startWarehouse>>;
let store: TestStore;
let customer: string;
beforeAll(async () => {
  warehouse = await startWarehouse();
});
afterAll(() => warehouse.close());
beforeEach(async () => {
  store = await testStore();
  customer = newCustomer();
  await store.carts.add(customer, "MUG-TEAL", 1);
  exporter.reset();
});
afterEach(async () => {
  await store.close();
});

const clientFor = (baseUrl: string) =>
  createWarehouseClient({
    signingKey: STORE_TEST_KEY,
    baseUrl,
    timeoutMs: 2000,
    logger,
    resilience: { retries: 2, initialDelayMs: 1, maxDelayMs: 1 },
  });

/** The checkout as the store's action runs it: in its correlation scope and its own span. */
const checkout = (reference: string, deps: Partial<PlaceOrderDeps> & Pick<PlaceOrderDeps, "warehouse">) =>
  runWithCorrelationId(`checkout-${reference}`, () =>
    inSpan("action checkout", {}, () =>
      placeOrder(checkoutForm({ reference }), {
        customerId: customer,
        ...store,
        logger,
        admission: { client: "127.0.0.1", limiter: createLimiter(1000, 60) },
        ...deps,
      }),
    ),
  );

const spans = () => exporter.getFinishedSpans();
const all = (name: string, kind?: SpanKind) => spans().filter((span) => span.name === name && (kind === undefined || span.kind === kind));
function one(name: string, kind?: SpanKind): ReadableSpan {
  const [span, ...others] = all(name, kind);
  if (!span || others.length > 0)
    throw new Error(
      `expected one span "${name}", got ${String(all(name, kind).length)}: ${spans()
        .map((s) => s.name)
        .join(", ")}`,
    );
  return span;
}
const isChild = (child: ReadableSpan, parent: ReadableSpan) =>
  child.spanContext().traceId === parent.spanContext().traceId && child.parentSpanContext?.spanId === parent.spanContext().spanId;

describe("one trace across the store and the warehouse", () => {
  it("nests the checkout, its call, the warehouse's route and the order's write, each with the checkout's correlation ID", async () => {
    const state = await checkout("PO-TRACE", { warehouse: clientFor(warehouse.url) });
    expect(state.status).toBe("placed");

    const action = one("action checkout");
    const send = one("send order to warehouse");
    const call = one("POST /api/orders", SpanKind.CLIENT);
    const route = one("POST /api/orders", SpanKind.SERVER);
    const insert = one("INSERT orders");
    expect(isChild(send, action)).toBe(true);
    expect(isChild(call, send)).toBe(true);
    // The warehouse continued the traceparent the store's client sent: the header arrived.
    expect(isChild(route, call)).toBe(true);
    expect(isChild(insert, route)).toBe(true);
    for (const span of [action, send, call, route, insert]) expect(span.attributes["fishtag.correlation_id"]).toBe("checkout-PO-TRACE");
    expect(call.attributes["http.response.status_code"]).toBe(201);
    expect(send.attributes["fishtag.outcome"]).toBe("placed");
  });

  it("shows each retry as an attempt of its own, numbered, and the order not taken as a failed span", async () => {
    const failing = await startFakeWarehouse((_req, res) => {
      res.writeHead(503, { "content-type": "application/json" }).end('{"error":"unavailable"}');
    });
    try {
      const state = await checkout("PO-RETRY", { warehouse: clientFor(failing.url) });
      expect(state.status).toBe("accepted");
    } finally {
      await failing.close();
    }

    const send = one("send order to warehouse");
    const attempts = all("POST /api/orders", SpanKind.CLIENT);
    expect(attempts.map((span) => span.attributes["http.request.resend_count"])).toEqual([undefined, 1, 2]);
    for (const attempt of attempts) {
      expect(isChild(attempt, send)).toBe(true);
      expect(attempt.attributes["http.response.status_code"]).toBe(503);
      expect(attempt.status.code).toBe(SpanStatusCode.ERROR);
    }
    expect(send.status).toMatchObject({ code: SpanStatusCode.ERROR, message: "server_error" });
  });

  it("puts a late delivery by the order relay in the checkout's trace, linked to the checkout, however much later it comes", async () => {
    // The warehouse is down at checkout: the order waits in the outbox with the checkout's trace.
    const state = await checkout("PO-LATE", { warehouse: clientFor(UNUSED_URL) });
    expect(state.status).toBe("accepted");
    const action = one("action checkout");
    exporter.reset();

    // Later, in a tick of the relay (no request, no active span), the warehouse is back.
    await store.outbox.retryAt((await store.outbox.due(Number.MAX_SAFE_INTEGER, 1))[0]?.storeOrderId ?? "", 0, "test: due now");
    const relay = createOrderRelay({ ...store, warehouse: clientFor(warehouse.url), logger });
    expect(await context.with(context.active(), () => relay.runOnce())).toMatchObject({ delivered: 1 });

    const delivery = one("order outbox delivery");
    expect(isChild(delivery, action)).toBe(true);
    expect(delivery.links.map((link) => link.context.spanId)).toEqual([action.spanContext().spanId]);
    expect(delivery.attributes["fishtag.correlation_id"]).toBe("checkout-PO-LATE");
    // And the warehouse's side of that delivery is in the same trace.
    const route = one("POST /api/orders", SpanKind.SERVER);
    expect(route.spanContext().traceId).toBe(action.spanContext().traceId);
  });
});

describe("a status event's trace", () => {
  let storeEvents: RunningServer;
  beforeAll(async () => {
    storeEvents = await startStoreEvents(() => store.orders, logger);
  });
  afterAll(() => storeEvents.close());

  it("runs from the staff move through the warehouse's relay into the store's handler: one trace, each span under the one before", async () => {
    await checkout("PO-EVENT", { warehouse: clientFor(warehouse.url) });
    const [summary] = await store.orders.listForCustomer(customer);
    const warehouseOrderId = summary && (await store.orders.findById(summary.id))?.warehouseOrderId;
    const moved = await fetch(`${warehouse.url}/api/orders/${String(warehouseOrderId)}/transitions`, {
      method: "POST",
      headers: { ...(await warehouse.staffHeaders()), "content-type": "application/json", "x-correlation-id": "staff-pick" },
      body: JSON.stringify({ to: "picking" }),
    });
    expect(moved.status).toBe(200);
    const staffMove = one("POST /api/orders/:id/transitions", SpanKind.SERVER);
    exporter.reset();

    expect(await statusRelay(warehouse, storeEvents.url, logger).runOnce()).toMatchObject({ delivered: 1 });

    const delivery = one("status outbox delivery");
    // The staff move's trace, continued by its delivery: the relay read it from the outbox row.
    expect(isChild(delivery, staffMove)).toBe(true);
    const call = one("POST /api/warehouse-events", SpanKind.CLIENT);
    const server = one("POST /api/warehouse-events", SpanKind.SERVER);
    const receive = one("receive status event");
    expect(isChild(call, delivery)).toBe(true);
    expect(isChild(server, call)).toBe(true);
    expect(isChild(receive, server)).toBe(true);
    expect(receive.attributes).toMatchObject({ "fishtag.correlation_id": "staff-pick", "fishtag.event.outcome": "applied" });
    expect(server.attributes).toMatchObject({ "http.route": "/api/warehouse-events", "http.response.status_code": 200 });
  });
});
