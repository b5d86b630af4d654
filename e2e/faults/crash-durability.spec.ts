import { randomUUID, type KeyObject } from "node:crypto";

import { parseSigningKey } from "@fishtag/service-auth/keys";
import { serviceAuthorization } from "@fishtag/service-auth/tokens";

import { expect, Stack, test, type StackDatabase } from "../fixtures/stack";
import { report, underLoad } from "./harness";

/** Writers sending orders at once, each one after another, as the store's checkouts and relay do. */
const WRITERS = 8;
/** For the SIGKILL: enough writers that the warehouse commits orders in batches (group commit) when it dies. */
const KILL_WRITERS = 32;
/** The warehouse is stopped once it has answered this many orders with 201... */
const STOP_AFTER = 2000;
/** ...and no writer sends more than this, should the stop never come. */
const MAX_PER_WRITER = 1000;

let stack: Stack;
let database: StackDatabase;
test.beforeAll(async ({ database: onDatabase }) => {
  database = onDatabase;
  stack = await Stack.start({ database });
});
test.afterAll(async () => {
  await stack.close();
});

let storeKey: KeyObject | undefined;

/** One order, as the store sends it: its own id as the Idempotency-Key, a fresh token. */
async function post(storeOrderId: string): Promise<Response> {
  if (!storeKey) {
    const parsed = parseSigningKey(stack.storeSigningKey);
    if (!parsed.ok) throw new Error(parsed.problem);
    storeKey = parsed.key;
  }
  return fetch(`${stack.warehouseUrl}/api/orders`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "idempotency-key": `"${storeOrderId}"`,
      authorization: await serviceAuthorization({
        key: storeKey,
        issuer: "store-web",
        audience: "warehouse-api",
        method: "POST",
        url: `${stack.warehouseUrl}/api/orders`,
      }),
    },
    body: JSON.stringify({
      storeOrderId,
      reference: `PO-${storeOrderId.slice(0, 8)}`,
      customer: { name: "Ada Lovelace", email: "ada@example.com" },
      shippingAddress: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
      storeOrderNumber: `ST-${storeOrderId.slice(0, 8).toUpperCase()}`,
      lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 1, unitPriceCents: 1450 }],
      // The store's figures for one £14.50 mug: £4.95 shipping below £50, 20% VAT included in the total.
      subtotalCents: 1450,
      shippingCents: 495,
      vatCents: 324,
      totalCents: 1945,
    }),
  });
}

/**
 * WRITERS writers create orders until `interrupt` (run after STOP_AFTER 201s) takes the warehouse down:
 * a writer stops at its first request that gets no answer. Returns the ids answered 201 and those cut off.
 */
async function writeUntil(interrupt: () => Promise<void>, writers = WRITERS): Promise<{ created: string[]; cutOff: string[] }> {
  const ids = Array.from({ length: writers * MAX_PER_WRITER }, () => randomUUID());
  const { answered, cutOff } = await underLoad({
    lanes: writers,
    steps: ids.length,
    client: () =>
      Promise.resolve(async (step: number) => {
        const response = await post(ids[step] ?? "");
        expect(response.status).toBe(201);
        await response.json();
      }),
    chaos: async (progress) => {
      await progress.reached(STOP_AFTER);
      await interrupt();
    },
    untilNoAnswer: true,
  });
  expect(answered.length, "the stop came mid-load").toBeLessThan(ids.length);
  const idOf = (step: number) => ids[step] ?? "";
  return { created: answered.map(({ step }) => idOf(step)), cutOff: cutOff.map(idOf) };
}

/** The warehouse's orders by the store's id, and how many are missing their lines or creation event. */
async function stored(): Promise<{ ids: Set<string>; torn: number }> {
  return {
    ids: new Set(await stack.column("warehouse-api", "SELECT store_order_id FROM orders")),
    // An order is whole or absent: its lines and its creation event are written in its transaction.
    torn: await stack.count(
      "warehouse-api",
      `SELECT count(*) FROM orders o
       WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)
          OR NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.type = 'created')`,
    ),
  };
}

test("SIGKILL in the middle of writes (group commits on SQLite): every order answered 201 is there after the restart", async () => {
  const { created, cutOff } = await writeUntil(() => stack.killWarehouse(), KILL_WRITERS);
  // The "order received" line says how many orders its commit held: the warehouse was batching.
  const batches = stack
    .logLines("warehouse-api")
    .filter((line) => line.msg === "order received")
    .map((line) => Number(line.batch));
  await stack.startWarehouse();
  const after = await stored();
  const missing = created.filter((id) => !after.ids.has(id));

  report("crash durability", {
    "orders sent": created.length + cutOff.length,
    "answered 201": created.length,
    "cut off by the kill": cutOff.length,
    "stored after restart": after.ids.size,
    "201 but missing": missing.length,
    torn: after.torn,
    "largest batch": Math.max(...batches),
  });
  // Group commit is SQLite's write path (ADR 0011); on Postgres each order is its own transaction.
  if (database === "sqlite") expect(Math.max(...batches), "orders were committed in batches").toBeGreaterThan(1);
  expect(cutOff.length, "the kill cut requests off in flight").toBeGreaterThan(0);
  expect(missing, "every order answered 201 survives the kill").toEqual([]);
  expect(after.torn, "no order is half-written").toBe(0);
  // The restarted warehouse still knows what it answered: a retry of a stored order gets the same answer.
  const retry = await post(created[0] ?? "");
  expect(retry.status, "a retry after the restart replays the stored answer").toBe(201);
  expect(retry.headers.get("idempotent-replayed")).toBe("true");
});

test("SIGTERM during a sustained write load: what the warehouse took in, it answers; then it exits cleanly", async () => {
  await stack.startWarehouse();
  const before = (await stored()).ids.size;
  let exitCode: number | null = null;
  const { created, cutOff } = await writeUntil(async () => {
    exitCode = await stack.stopWarehouse();
  });
  const after = await stored();
  // A request the warehouse read was finished and answered; one it never read (refused at the door, or
  // on a kept-alive connection it closed as idle) was not half-done either: it is simply not there.
  const unanswered = cutOff.filter((id) => after.ids.has(id));

  report("graceful shutdown", {
    "answered 201": created.length,
    "refused after SIGTERM": cutOff.length,
    "stored but unanswered": unanswered.length,
    "exit code": String(exitCode),
  });
  expect(exitCode, "the warehouse exits 0 on its own (no SIGKILL after the grace period)").toBe(0);
  expect(after.ids.size - before, "exactly the orders it answered are stored").toBe(created.length);
  expect(unanswered, "no order stored without its answer").toEqual([]);
  expect(after.torn).toBe(0);
});
