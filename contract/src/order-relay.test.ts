import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  createCartRepo,
  createLimiter,
  createOrderOutbox,
  createOrderRelay,
  createOrdersRepo,
  createWarehouseClient,
  MIGRATIONS_FOLDER,
  newCustomer,
  openDatabase,
  placeOrder,
  type Db,
  type RelayOptions,
  type WarehouseClient,
} from "store-web/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { CORRELATION_HEADER } from "@fishtag/tracing/correlation";
import { createLogger, runWithCorrelationId } from "@fishtag/tracing/logger";

import { startFakeWarehouse, startWarehouse, STORE_TEST_KEY, type RunningServer } from "./servers";

const logger = createLogger({ service: "store-web", level: "silent" });

type Mode = "forward" | "hold" | "down" | { status: number; body: unknown };

/**
 * The real warehouse behind a switch: "forward" passes requests through; "hold" passes them through but
 * never answers (the warehouse stores the order, the store times out); "down" drops the connection;
 * otherwise it answers `status` itself. Records the correlation ID of every request.
 */
async function switchableWarehouse(target: string) {
  const inFlight = new Set<Promise<void>>();
  const correlationIds: (string | undefined)[] = [];
  let mode: Mode = "forward";
  const server: RunningServer = await startFakeWarehouse((req, res) => {
    const header = req.headers[CORRELATION_HEADER];
    correlationIds.push(typeof header === "string" ? header : undefined);
    // As it was when the request came in: the test may switch while it is being forwarded.
    const current = mode;
    if (current === "down") {
      req.socket.destroy();
      return;
    }
    if (typeof current === "object") {
      res.writeHead(current.status, { "content-type": "application/json" }).end(JSON.stringify(current.body));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = new Headers();
      for (const name of ["authorization", "content-type", "idempotency-key", CORRELATION_HEADER]) {
        const value = req.headers[name];
        if (typeof value === "string") headers.set(name, value);
      }
      const forwarded = fetch(`${target}${req.url ?? "/"}`, { method: req.method, headers, body: Buffer.concat(chunks) }).then(
        async (answer) => {
          const body = await answer.text();
          if (current === "hold") return;
          const replayed = answer.headers.get("idempotent-replayed");
          res
            .writeHead(answer.status, { "content-type": "application/json", ...(replayed ? { "idempotent-replayed": replayed } : {}) })
            .end(body);
        },
      );
      inFlight.add(forwarded);
      void forwarded.finally(() => inFlight.delete(forwarded));
    });
  });
  return {
    url: server.url,
    close: server.close,
    correlationIds,
    set: (next: Mode) => {
      mode = next;
    },
    /** Resolves once every request passed through has been answered by the warehouse. */
    settled: () => Promise.all(inFlight),
  };
}

let real: Awaited<ReturnType<typeof startWarehouse>>;
beforeAll(async () => {
  real = await startWarehouse();
});
afterAll(() => real.close());

let dir: string;
let dbPath: string;
let db: ReturnType<typeof openDatabase>;
let clock: number;
/** The warehouse client's budget for one delivery, and so the checkout's lease on its outbox row. */
const TIMEOUT_MS = 2000;
let customer: string;
let proxy: Awaited<ReturnType<typeof switchableWarehouse>>;
let warehouse: WarehouseClient;

const now = () => clock;
const openDb = () => openDatabase(dbPath, { migrationsFolder: MIGRATIONS_FOLDER });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "store-relay-"));
  dbPath = join(dir, "store.db");
  db = openDb();
  clock = Date.parse("2030-01-01T12:00:00Z");
  customer = newCustomer();
  proxy = await switchableWarehouse(real.url);
  // No retries inside one delivery: each attempt in these tests is one request, and the breaker stays shut.
  // The budget is what a "hold" costs, and it must be far above a real answer's time on a busy CI machine
  // (300 ms was not: a loaded run timed out answers that had arrived).
  warehouse = createWarehouseClient({
    baseUrl: proxy.url,
    timeoutMs: TIMEOUT_MS,
    logger,
    signingKey: STORE_TEST_KEY,
    resilience: { retries: 0 },
  });
});
afterEach(async () => {
  await proxy.close();
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The store's repositories on `database`, as the process builds them (repos.server.ts). */
function reposOn(database: Db) {
  const outbox = createOrderOutbox(database, TIMEOUT_MS);
  return { orders: createOrdersRepo(database, outbox), outbox, carts: createCartRepo(database) };
}

const relayOn = (database = db, options: Partial<RelayOptions> = {}) =>
  createOrderRelay({ ...reposOn(database), warehouse, logger, now, random: () => 0.5, ...options });

/** A checkout of one mug, at the test's clock, through the switchable warehouse. */
async function checkOut(reference: string, correlationId: string) {
  const { carts, orders, outbox } = reposOn(db);
  await carts.add(customer, "MUG-TEAL", 1);
  const form = new FormData();
  const fields = {
    name: "Ada Lovelace",
    email: "ada@example.com",
    reference,
    line1: "12 Analytical Row",
    city: "London",
    postalCode: "N1 9GU",
    country: "GB",
  };
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return runWithCorrelationId(correlationId, () =>
    placeOrder(form, {
      customerId: customer,
      carts,
      orders,
      outbox,
      warehouse,
      logger,
      admission: { client: "127.0.0.1", limiter: createLimiter(1000, 60) },
      now,
      random: () => 0.5,
    }),
  );
}

const theOrder = async () => {
  const { orders } = reposOn(db);
  const [summary] = await orders.listForCustomer(customer);
  return summary ? await orders.findById(summary.id) : undefined;
};
const outboxRow = async () => createOrderOutbox(db, TIMEOUT_MS).find((await theOrder())?.id ?? "missing");

async function warehouseOrdersFor(storeOrderId: string) {
  const response = await fetch(`${real.url}/api/orders?limit=100`, { headers: await real.staffHeaders() });
  const { items } = (await response.json()) as { items: { id: string; storeOrderId: string; status: string; correlationId: string }[] };
  return items.filter((item) => item.storeOrderId === storeOrderId);
}

describe("the order outbox relay", () => {
  it("delivers an order the warehouse stored during a timed-out checkout, once, after several failed retries", async () => {
    proxy.set("hold");
    const state = await checkOut("PO-LATE", "ref-late");
    expect(state).toMatchObject({ status: "accepted", reference: "ref-late", orderNumber: "ST-000001" });
    await proxy.settled();
    const relay = relayOn();

    // Not due yet: the backoff after the checkout's attempt has not passed.
    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0 });

    proxy.set("down");
    clock += 60_000;
    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 1, parked: 0 });
    proxy.set({ status: 503, body: { error: "unavailable" } });
    clock += 60_000;
    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 1, parked: 0 });
    expect((await theOrder())?.status).toBe("awaiting_confirmation");

    proxy.set("forward");
    clock += 60_000;
    expect(await relay.runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0 });

    const order = await theOrder();
    const [stored, ...others] = await warehouseOrdersFor(order?.id ?? "missing");
    expect(others).toEqual([]);
    expect(order).toMatchObject({ status: "received", warehouseOrderId: stored?.id });
    expect(order?.history.map(({ status, correlationId }) => ({ status, correlationId }))).toEqual([
      { status: "pending", correlationId: "ref-late" },
      { status: "awaiting_confirmation", correlationId: "ref-late" },
      { status: "received", correlationId: "ref-late" },
    ]);
    expect(stored?.correlationId).toBe("ref-late");
    // Every attempt, the relay's included, carried the checkout's correlation ID.
    expect(proxy.correlationIds).toEqual(["ref-late", "ref-late", "ref-late", "ref-late"]);
    expect(await outboxRow()).toMatchObject({ state: "delivered", attempts: 4, lastError: null });
    // Delivered is done: nothing more is sent.
    clock += 60_000;
    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0 });
  });

  it("leaves a new row to the checkout that is still sending it", async () => {
    proxy.set("hold");
    const checkout = checkOut("PO-RACE", "ref-race");
    await expect.poll(() => proxy.correlationIds.length).toBe(1);
    expect(await relayOn().runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0 });
    expect((await checkout).status).toBe("accepted");
    await proxy.settled();
  });

  it("marks an order the warehouse rejects later rejected", async () => {
    proxy.set("down");
    expect((await checkOut("F-LATE", "ref-rejected-late")).status).toBe("accepted");

    proxy.set("forward");
    clock += 60_000;
    expect(await relayOn().runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0 });
    expect(await theOrder()).toMatchObject({ status: "rejected", warehouseOrderId: expect.any(String) });
    expect((await outboxRow())?.state).toBe("delivered");
  });

  it("retries later when the warehouse is still busy with the same Idempotency-Key (409)", async () => {
    proxy.set("down");
    await checkOut("PO-BUSY", "ref-busy");
    proxy.set({ status: 409, body: { error: "idempotency_key_in_flight", message: "still processing" } });
    clock += 60_000;

    expect(await relayOn().runOnce()).toEqual({ delivered: 0, retried: 1, parked: 0 });
    expect(await outboxRow()).toMatchObject({ state: "pending", attempts: 2, lastError: "in_progress" });
    expect((await theOrder())?.status).toBe("awaiting_confirmation");
  });

  it("parks the row on a 400 and sends it no more", async () => {
    proxy.set("down");
    await checkOut("PO-PARK", "ref-park");
    proxy.set({ status: 400, body: { error: "validation_failed" } });
    clock += 60_000;
    const relay = relayOn();

    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 0, parked: 1 });
    expect(await outboxRow()).toMatchObject({ state: "parked", attempts: 2, lastError: "unexpected 400 from the warehouse" });
    expect((await theOrder())?.status).toBe("failed");
    expect(await createOrderOutbox(db, TIMEOUT_MS).backlog()).toEqual({ pending: 0, parked: 1 });

    proxy.set("forward");
    clock += 3_600_000;
    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0 });
    expect(proxy.correlationIds).toHaveLength(2);
  });

  it("picks up the pending rows after a restart: a new relay on the reopened database delivers them", async () => {
    proxy.set("down");
    await checkOut("PO-RESTART", "ref-restart");
    const first = relayOn();
    clock += 60_000;
    expect(await first.runOnce()).toEqual({ delivered: 0, retried: 1, parked: 0 });
    await first.stop();
    db.$client.close();

    db = openDb();
    proxy.set("forward");
    clock += 60_000;
    expect(await relayOn(db).runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0 });
    expect((await theOrder())?.status).toBe("received");
    expect(await warehouseOrdersFor((await theOrder())?.id ?? "missing")).toHaveLength(1);
  });

  it("sends the oldest due order first", async () => {
    proxy.set("down");
    await checkOut("PO-FIRST", "ref-first");
    await checkOut("PO-SECOND", "ref-second");
    proxy.set("forward");
    clock += 60_000;

    expect(await relayOn(db, { batchSize: 1 }).runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0 });
    const statuses = (await reposOn(db).orders.listForCustomer(customer)).map(({ reference, status }) => ({ reference, status }));
    expect(statuses).toEqual([
      { reference: "PO-SECOND", status: "awaiting_confirmation" },
      { reference: "PO-FIRST", status: "received" },
    ]);
  });

  it("lets a warehouse status event that arrived first win over the relay's late answer", async () => {
    proxy.set("hold");
    await checkOut("PO-EVENT", "ref-event");
    await proxy.settled();
    const order = await theOrder();
    const [stored] = await warehouseOrdersFor(order?.id ?? "missing");
    const update = {
      eventId: 7,
      warehouseOrderId: stored?.id ?? "missing",
      storeOrderId: order?.id ?? "missing",
      status: "picking" as const,
      reason: null,
      at: new Date(clock),
    };
    expect(await reposOn(db).orders.applyWarehouseUpdate(update, "ref-staff")).toMatchObject({ outcome: "applied", status: "picking" });

    proxy.set("forward");
    clock += 60_000;
    expect(await relayOn().runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0 });
    expect(await theOrder()).toMatchObject({ status: "picking", warehouseOrderId: stored?.id });
    expect((await theOrder())?.history.map((change) => change.status)).toEqual(["pending", "awaiting_confirmation", "picking"]);
  });
});
