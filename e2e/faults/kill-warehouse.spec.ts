import { expect, Stack, test } from "../fixtures/stack";
import { repeated, report, underLoad } from "./harness";
import { shopperSession, type CheckoutOutcome } from "./shopper";

const CHECKOUTS = 1000;
/** Customers checking out at once, each one order after another. */
const CUSTOMERS = 8;
/** The warehouse is SIGKILLed when this many checkouts have been answered... */
const KILL_AT = [300, 650];
/** ...and started again once this many more have been answered while it was gone. */
const DOWN_FOR = 100;

let stack: Stack;
test.beforeAll(async ({ database }) => {
  // The breaker half-opens after 1 s (not the suite's 2 s, or production's 10): with the warehouse back,
  // checkouts reach it again soon, so the second kill lands on orders in flight, not on a store still
  // accepting everything for later.
  stack = await Stack.start({ database, storeEnv: { WAREHOUSE_BREAKER_HALF_OPEN_MS: "1000" } });
});

/** The store's circuit breaker, as its health route reports it. */
async function breaker(): Promise<string> {
  const health = (await (await fetch(`${stack.storeUrl}/api/health`)).json()) as { warehouse: { breaker: string } };
  return health.warehouse.breaker;
}
test.afterAll(async () => {
  await stack.close();
});

test(`${CHECKOUTS} checkouts while the warehouse is killed twice: every accepted order reaches it exactly once`, async () => {
  const kills: number[] = [];
  const { answered } = await underLoad({
    lanes: CUSTOMERS,
    steps: CHECKOUTS,
    client: async () => {
      const customer = await shopperSession(stack.storeUrl);
      return (step) => customer.checkOut(`PO-FAULT-${step}`);
    },
    // The chaos: kill the warehouse at each mark, while orders are going through to it (the breaker
    // closed), and start it again after DOWN_FOR more checkouts.
    chaos: async (progress) => {
      for (const at of KILL_AT) {
        await progress.reached(at);
        await expect.poll(breaker, { message: "checkouts reach the warehouse again", timeout: 60_000 }).toBe("closed");
        await stack.killWarehouse();
        kills.push(progress.done);
        await progress.reached(at + DOWN_FOR);
        await stack.startWarehouse();
      }
    },
  });
  const outcomes: CheckoutOutcome[] = answered.map(({ result }) => result);
  expect(kills, "both kills happened mid-run").toHaveLength(KILL_AT.length);
  for (const at of kills) expect(at).toBeLessThan(CHECKOUTS);

  // Every checkout was either placed at once or accepted for later delivery: none lost at the till.
  const taken = outcomes.flatMap((outcome) => (outcome.kind === "refused" ? [] : [outcome.orderNumber]));
  const refused = outcomes.filter((outcome) => outcome.kind === "refused");
  expect(refused, "no checkout was refused").toEqual([]);
  expect(repeated(taken), "no order number was given twice").toEqual([]);
  const awaiting = outcomes.filter((outcome) => outcome.kind === "accepted").length;
  expect(awaiting, "the kills were felt: some orders had to wait for the warehouse").toBeGreaterThan(0);

  // The store's relay delivers what the checkouts could not, once the warehouse is back.
  await expect
    .poll(() => stack.count("store-web", "SELECT count(*) FROM order_outbox WHERE state <> 'delivered'"), {
      message: "the store's outbox drains",
      timeout: 120_000,
      intervals: [500],
    })
    .toBe(0);

  // The two id sets: the orders the customers were told about, as the store recorded them...
  const storeOrders = await stack.rows<{ number: number; id: string; status: string }>(
    "store-web",
    "SELECT number, id, status FROM orders",
  );
  const byNumber = new Map(storeOrders.map((order) => [`ST-${String(order.number).padStart(6, "0")}`, order]));
  const accepted = taken.map((number) => byNumber.get(number)?.id);
  expect(accepted).not.toContain(undefined);
  expect(storeOrders, "the store has no order nobody was told about").toHaveLength(taken.length);
  expect(new Set(storeOrders.map((order) => order.status)), "every order confirmed by the warehouse").toEqual(new Set(["received"]));

  // ...and the orders the warehouse has, by the store's id for them.
  const inWarehouse = await stack.column("warehouse-api", "SELECT store_order_id FROM orders");
  const found = new Set(inWarehouse);
  const lost = accepted.filter((id) => id !== undefined && !found.has(id));
  const duplicated = repeated(inWarehouse);
  const unknown = [...found].filter((id) => !new Set(accepted).has(id));

  report("kill the warehouse", {
    "orders sent": CHECKOUTS,
    accepted: taken.length,
    "placed at once": taken.length - awaiting,
    "awaiting confirmation": awaiting,
    "found in the warehouse": accepted.filter((id) => id !== undefined && found.has(id)).length,
    lost: lost.length,
    duplicated: duplicated.length,
    "kills at checkouts": kills.join(" and "),
  });
  expect(lost, "lost").toEqual([]);
  expect(duplicated, "duplicated").toEqual([]);
  expect(unknown, "orders in the warehouse the store never took").toEqual([]);
});
