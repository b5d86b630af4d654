import { randomUUID } from "node:crypto";
import { parseSigningKey } from "@fishtag/service-auth/keys";
import { serviceAuthorization } from "@fishtag/service-auth/tokens";
import { expect, test } from "@playwright/test";
import { Stack } from "../fixtures/stack";
import { Progress, readDb, report } from "./harness";

/** Writers sending orders at once, each one after another, as the store's checkouts and relay do. */
const WRITERS = 8;
/** The warehouse is SIGKILLed once it has answered this many orders with 201... */
const KILL_AFTER = 2000;
/** ...and no writer sends more than this, should the kill never come. */
const MAX_PER_WRITER = 1000;

let stack: Stack;
test.beforeAll(async () => {
  stack = await Stack.start();
});
test.afterAll(async () => {
  await stack.close();
});

test("SIGKILL during a sustained write load: every order answered 201 is there after the restart", async () => {
  const parsed = parseSigningKey(stack.storeSigningKey);
  if (!parsed.ok) throw new Error(parsed.problem);
  const key = parsed.key;
  /** One order, as the store sends it: its own id as the Idempotency-Key, a fresh token. */
  const post = async (storeOrderId: string) =>
    fetch(`${stack.warehouseUrl}/api/orders`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": `"${storeOrderId}"`,
        authorization: await serviceAuthorization({ key, issuer: "store-web", audience: "warehouse-api" }),
      },
      body: JSON.stringify({
        storeOrderId,
        reference: `PO-${storeOrderId.slice(0, 8)}`,
        customer: { name: "Ada Lovelace", email: "ada@example.com" },
        shippingAddress: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
        lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 1, unitPriceCents: 1450 }],
      }),
    });

  const created = new Progress();
  const answered201: string[] = [];
  let sent = 0;
  let cutOff = 0;
  const kill = (async () => {
    await created.reached(KILL_AFTER);
    await stack.killWarehouse();
  })();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = 0; i < MAX_PER_WRITER; i++) {
        const storeOrderId = randomUUID();
        sent++;
        let response: Response;
        try {
          response = await post(storeOrderId);
          expect(response.status).toBe(201);
          await response.json();
        } catch (error) {
          // The warehouse is dead: this order's fate is unknown to the writer (stored or not), and the
          // writer stops. Only what was answered 201 was promised.
          if (error instanceof TypeError) {
            cutOff++;
            return;
          }
          throw error;
        }
        answered201.push(storeOrderId);
        created.add();
      }
    }),
  ).finally(() => {
    created.finish();
  });
  await kill;
  expect(answered201.length, "the kill came mid-load").toBeLessThan(WRITERS * MAX_PER_WRITER);

  await stack.startWarehouse();
  const stored = readDb(stack.dbPath("warehouse-api"), (db) => ({
    ids: new Set((db.prepare("SELECT store_order_id AS id FROM orders").all() as { id: string }[]).map((row) => row.id)),
    // An order is whole or absent: its lines and its creation event were written in its transaction.
    torn: db
      .prepare(
        `SELECT count(*) AS n FROM orders o
         WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)
            OR NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.type = 'created')`,
      )
      .get() as { n: number },
  }));
  const missing = answered201.filter((id) => !stored.ids.has(id));

  report("crash durability", {
    "orders sent": sent,
    "answered 201": answered201.length,
    "cut off by the kill": cutOff,
    "stored after restart": stored.ids.size,
    "201 but missing": missing.length,
    torn: stored.torn.n,
  });
  expect(cutOff, "the kill cut requests off in flight").toBeGreaterThan(0);
  expect(missing, "every order answered 201 survives the kill").toEqual([]);
  expect(stored.torn.n, "no order is half-written").toBe(0);
  // The restarted warehouse still knows what it answered: a retry of a stored order gets the same answer.
  const again = answered201[0] ?? "";
  const retry = await post(again);
  expect(retry.status, "a retry after the restart replays the stored answer").toBe(201);
  expect(retry.headers.get("idempotent-replayed")).toBe("true");
});
