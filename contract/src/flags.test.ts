import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import {
  createLimiter,
  createOrderRelay,
  createWarehouseClient,
  decideFlags,
  flagsForCustomer,
  newCustomer,
  placeOrder,
  testStore,
  type TestStore,
} from "store-web/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { runWithFlags } from "@fishtag/tracing/flags";
import { createLogger, runWithCorrelationId } from "@fishtag/tracing/logger";
import { startTracing } from "@fishtag/tracing/otel";
import { inSpan } from "@fishtag/tracing/spans";

import { checkoutForm } from "./forms";
import { startStoreEvents, startWarehouse, statusRelay, STORE_TEST_KEY, UNUSED_URL, type RunningServer } from "./servers";

// The priority lane across both services: decided by the store's edge for the customer, carried in the
// checkout call's baggage to the real warehouse app, which stores the order as priority, and brought back
// by the warehouse's status events to the store's event endpoint, served as server.ts serves it.

const exporter = new InMemorySpanExporter();
const logDir = mkdtempSync(join(tmpdir(), "contract-flags-"));
const logFile = join(logDir, "store.log");
const logger = createLogger({ service: "contract", level: "info", file: logFile, stdout: false });

let warehouse: Awaited<ReturnType<typeof startWarehouse>>;
let storeEvents: RunningServer;
let store: TestStore;
beforeAll(async () => {
  startTracing({ serviceName: "contract", exporter });
  warehouse = await startWarehouse();
  storeEvents = await startStoreEvents(() => store.orders, logger);
});
afterAll(async () => {
  await Promise.all([warehouse.close(), storeEvents.close()]);
  rmSync(logDir, { recursive: true, force: true });
});
beforeEach(async () => {
  store = await testStore();
  exporter.reset();
});
afterEach(async () => {
  await store.close();
});

/** A customer the edge gives priority-lane to, or one it does not. */
function customerWith(priority: boolean): string {
  for (;;) {
    const customerId = newCustomer();
    if (flagsForCustomer(customerId).includes("priority-lane") === priority) return customerId;
  }
}

const clientFor = (baseUrl: string) =>
  createWarehouseClient({ signingKey: STORE_TEST_KEY, baseUrl, timeoutMs: 2000, logger, resilience: { retries: 0 } });

/** The checkout as the store's action runs it: its correlation scope, the flags the proxy decided, its span. */
async function checkout(customerId: string, reference: string, baseUrl = warehouse.url) {
  await store.carts.add(customerId, "MUG-TEAL", 1);
  const { flags } = decideFlags({ customerId, override: undefined, development: false });
  const state = await runWithCorrelationId(`checkout-${reference}`, () =>
    runWithFlags(flags, () =>
      inSpan("action checkout", {}, () =>
        placeOrder(checkoutForm({ reference }), {
          customerId,
          ...store,
          warehouse: clientFor(baseUrl),
          logger,
          admission: { client: "127.0.0.1", limiter: createLimiter(1000, 60) },
        }),
      ),
    ),
  );
  const [summary] = await store.orders.listForCustomer(customerId);
  const order = summary && (await store.orders.findById(summary.id));
  if (!order) throw new Error(`the checkout recorded no order: ${state.status}`);
  return { state, order };
}

type WarehouseOrder = { id: string; priority: boolean };
async function warehouseOrder(id: string | null): Promise<WarehouseOrder> {
  const res = await fetch(`${warehouse.url}/api/orders/${String(id)}`, { headers: await warehouse.staffHeaders() });
  return (await res.json()) as WarehouseOrder;
}

async function moveAndRelay(warehouseOrderId: string, correlationId: string) {
  const moved = await fetch(`${warehouse.url}/api/orders/${warehouseOrderId}/transitions`, {
    method: "POST",
    headers: { ...(await warehouse.staffHeaders()), "content-type": "application/json", "x-correlation-id": correlationId },
    body: JSON.stringify({ to: "picking" }),
  });
  expect(moved.status).toBe(200);
  expect(await statusRelay(warehouse, storeEvents.url, logger).runOnce()).toMatchObject({ delivered: 1 });
}

const logLines = () =>
  readFileSync(logFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const span = (name: string, kind?: SpanKind) =>
  exporter.getFinishedSpans().find((candidate) => candidate.name === name && (kind === undefined || candidate.kind === kind));

describe("the priority lane", () => {
  it("goes from a priority customer's checkout to a priority order in the warehouse, and comes back on its status event", async () => {
    const { state, order } = await checkout(customerWith(true), "PO-PRIORITY");

    expect(state.status).toBe("placed");
    expect(order.flags).toEqual(["priority-lane"]);
    expect((await warehouseOrder(order.warehouseOrderId)).priority).toBe(true);
    expect(span("POST /api/orders", SpanKind.SERVER)?.attributes["fishtag.flags"]).toBe("priority-lane");

    exporter.reset();
    await moveAndRelay(order.warehouseOrderId ?? "", "staff-pick-priority");

    expect((await store.orders.findById(order.id))?.status).toBe("picking");
    expect(span("POST /api/warehouse-events", SpanKind.CLIENT)?.attributes["fishtag.flags"]).toBe("priority-lane");
    expect(span("receive status event")?.attributes["fishtag.flags"]).toBe("priority-lane");
    expect(logLines()).toContainEqual(
      expect.objectContaining({ msg: "status event applied", correlationId: "staff-pick-priority", flags: "priority-lane" }),
    );
  });

  it("leaves every other customer's order plain, on both sides and on its status event", async () => {
    const { state, order } = await checkout(customerWith(false), "PO-PLAIN");

    expect(state.status).toBe("placed");
    expect(order.flags).toEqual([]);
    expect((await warehouseOrder(order.warehouseOrderId)).priority).toBe(false);

    exporter.reset();
    await moveAndRelay(order.warehouseOrderId ?? "", "staff-pick-plain");

    expect(span("receive status event")?.attributes).not.toHaveProperty("fishtag.flags");
    const applied = logLines().find((line) => line.msg === "status event applied" && line.correlationId === "staff-pick-plain");
    expect(applied).toBeDefined();
    expect(applied).not.toHaveProperty("flags");
  });

  it("goes with an order the warehouse gets later from the store's relay, outside any request", async () => {
    const { state, order } = await checkout(customerWith(true), "PO-LATE-PRIORITY", UNUSED_URL);
    expect(state.status).toBe("accepted");

    await store.outbox.retryAt(order.id, 0, "test: due now");
    // Without the checkout's trace (a row from before tracing): the flags come from the order itself.
    store.db.$client.prepare("UPDATE order_outbox SET trace_context = NULL").run();
    const relay = createOrderRelay({ ...store, warehouse: clientFor(warehouse.url), logger });
    expect(await relay.runOnce()).toMatchObject({ delivered: 1 });

    const delivered = await store.orders.findById(order.id);
    expect((await warehouseOrder(delivered?.warehouseOrderId ?? null)).priority).toBe(true);
  });
});
