import { generateServiceKeyPair } from "@fishtag/service-auth/keys";

import { expect, Stack, test } from "../fixtures/stack";
import { report } from "./harness";
import { shopperSession } from "./shopper";

const ORDERS = 5;

let stack: Stack;
test.beforeAll(async ({ database }) => {
  // The store signs with a key the warehouse was never given: a deployment with its keys mixed up.
  stack = await Stack.start({ database, storeEnv: { STORE_SIGNING_KEY: generateServiceKeyPair().signingKey } });
});
test.afterAll(async () => {
  await stack.close();
});

test("orders taken while the keys disagree wait, and go once the keys are fixed: none failed, none lost, none twice", async () => {
  const customer = await shopperSession(stack.storeUrl);
  for (let n = 0; n < ORDERS; n++) expect(await customer.checkOut(`PO-KEYS-${n}`)).toMatchObject({ kind: "accepted" });

  const waiting = await stack.rows<{ status: string; state: string }>(
    "store-web",
    "SELECT o.status, x.state FROM orders o JOIN order_outbox x ON x.store_order_id = o.id",
  );
  expect(waiting, "each order awaits confirmation, its outbox row still pending").toEqual(
    Array.from({ length: ORDERS }, () => ({ status: "awaiting_confirmation", state: "pending" })),
  );
  expect(await stack.column("warehouse-api", "SELECT id FROM orders")).toEqual([]);
  expect(stack.logLines("store-web")).toContainEqual(
    expect.objectContaining({ level: "error", msg: expect.stringContaining("refused the store's token") }),
  );

  // The operator fixes the store's key and restarts it: its relay sends what waited.
  await stack.stopStore();
  await stack.startStore({ STORE_SIGNING_KEY: stack.storeSigningKey });
  await expect
    .poll(() => stack.column("store-web", "SELECT status FROM orders"), {
      message: "the waiting orders reach the warehouse",
      timeout: 60_000,
      intervals: [500],
    })
    .toEqual(Array.from({ length: ORDERS }, () => "received"));
  const inWarehouse = await stack.column("warehouse-api", "SELECT reference FROM orders ORDER BY reference");

  report("wrong keys", {
    "orders taken": ORDERS,
    "in the warehouse once the keys were fixed": inWarehouse.length,
    failed: await stack.count("store-web", "SELECT count(*) FROM orders WHERE status = 'failed'"),
  });
  expect(inWarehouse).toEqual(Array.from({ length: ORDERS }, (_, n) => `PO-KEYS-${String(n)}`));
});
