import { expect, Stack, STAFF, test } from "../fixtures/stack";
import { repeated, report, underLoad } from "./harness";
import { shopperSession, type CheckoutOutcome } from "./shopper";

/** Orders the warehouse confirms at checkout; staff then move each twice while the store is down. */
const PLACED = 10;
/** Orders taken while the warehouse is down: still in the store's outbox when the store is killed. */
const WAITING = 10;
const MOVES = ["picking", "packed"] as const;
/** The store is sent SIGTERM once this many checkouts have been answered. */
const STOP_AFTER_CHECKOUTS = 40;

let stack: Stack;
test.beforeAll(async ({ database }) => {
  stack = await Stack.start({ database });
});
test.afterAll(async () => {
  await stack.close();
});

async function checkOut(count: number, prefix: string): Promise<CheckoutOutcome[]> {
  const customer = await shopperSession(stack.storeUrl);
  const outcomes: CheckoutOutcome[] = [];
  for (let n = 0; n < count; n++) outcomes.push(await customer.checkOut(`${prefix}-${n}`));
  return outcomes;
}

/** Signs in to the warehouse as staff, as the dashboard does: a session cookie and its CSRF token. */
async function staffSession(): Promise<{ cookie: string; "x-csrf-token": string }> {
  const response = await fetch(`${stack.warehouseUrl}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: STAFF.email, password: STAFF.password }),
  });
  expect(response.status).toBe(200);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return {
    cookie: response.headers
      .getSetCookie()
      .map((line) => line.split(";", 1)[0])
      .join("; "),
    "x-csrf-token": csrfToken,
  };
}

const undelivered = (table: "order_outbox" | "status_outbox") => `SELECT count(*) AS n FROM ${table} WHERE state <> 'delivered'`;

test("the store is killed with orders in its outbox while staff move orders: both relays catch up, nothing applied twice", async () => {
  expect(await checkOut(PLACED, "PO-PLACED")).toEqual(Array.from({ length: PLACED }, () => expect.objectContaining({ kind: "placed" })));
  await stack.killWarehouse();
  expect(await checkOut(WAITING, "PO-WAITING")).toEqual(
    Array.from({ length: WAITING }, () => expect.objectContaining({ kind: "accepted" })),
  );

  // The store dies with those orders still to deliver; the warehouse comes back without it.
  await stack.killStore();
  await stack.startWarehouse();
  expect(await stack.count("store-web", undelivered("order_outbox"))).toBe(WAITING);

  // Staff move every confirmed order twice: each move is a status event for a store that is not there.
  const staff = await staffSession();
  const placedIds = await stack.column("warehouse-api", "SELECT id FROM orders ORDER BY id");
  expect(placedIds).toHaveLength(PLACED);
  for (const to of MOVES) {
    for (const id of placedIds) {
      const moved = await fetch(`${stack.warehouseUrl}/api/orders/${id}/transitions`, {
        method: "POST",
        headers: { ...staff, "content-type": "application/json" },
        body: JSON.stringify({ to }),
      });
      expect(moved.status).toBe(200);
    }
  }
  // The warehouse tried and failed to tell the store: every event waits in its outbox, and only each
  // order's first has been tried, since an order's events go in order.
  const outbox = "SELECT count(*) AS pending, count(*) FILTER (WHERE attempts > 0) AS tried FROM status_outbox WHERE state = 'pending'";
  await expect
    .poll(async () => (await stack.rows("warehouse-api", outbox))[0], { message: "the warehouse's relay finds the store down" })
    .toEqual({ pending: PLACED * MOVES.length, tried: PLACED });

  await stack.startStore();
  const drained = async () => ({
    store: await stack.count("store-web", undelivered("order_outbox")),
    warehouse: await stack.count("warehouse-api", undelivered("status_outbox")),
  });
  await expect.poll(drained, { message: "both outboxes drain", timeout: 120_000, intervals: [500] }).toEqual({ store: 0, warehouse: 0 });

  // Every order the store took is in the warehouse once.
  const warehouseOrders = await stack.column("warehouse-api", "SELECT store_order_id FROM orders");
  const storeOrders = await stack.rows<{ number: number; id: string; status: string }>(
    "store-web",
    "SELECT number, id, status FROM orders ORDER BY number",
  );
  expect(new Set(warehouseOrders)).toEqual(new Set(storeOrders.map((order) => order.id)));
  expect(repeated(warehouseOrders), "no order twice in the warehouse").toEqual([]);

  // Every status event the warehouse recorded was applied by the store once, and each order's in the
  // order they happened: per order, the event ids as the store applied them (its own history rows, in
  // the order it wrote them) are the warehouse's, in the order it recorded them. Across orders the
  // relay owes no order, so none is asserted.
  type Step = { order: string; id: number; status: string };
  const byOrder = (steps: Step[]) => {
    const sequences = new Map<string, string[]>();
    for (const { order, id, status } of steps) sequences.set(order, [...(sequences.get(order) ?? []), `${String(id)} ${status}`]);
    return [...sequences.values()].map((sequence) => sequence.join(", ")).sort();
  };
  const events = await stack.rows<Step>(
    "warehouse-api",
    "SELECT o.store_order_id AS \"order\", e.id, e.to_status AS status FROM order_events e JOIN orders o ON o.id = e.order_id WHERE e.type = 'status_changed' ORDER BY e.id",
  );
  const applied = await stack.rows<Step>(
    "store-web",
    'SELECT o.id AS "order", h.warehouse_event_id AS id, h.status FROM order_status_history h JOIN orders o ON o.number = h.order_number WHERE h.warehouse_event_id IS NOT NULL ORDER BY h.id',
  );
  expect(events).toHaveLength(PLACED * MOVES.length);
  expect(byOrder(applied), "each event applied once, each order's in order").toEqual(byOrder(events));
  expect(storeOrders.map((order) => order.status)).toEqual([
    ...Array<string>(PLACED).fill("packed"),
    ...Array<string>(WAITING).fill("received"),
  ]);

  report("store down", {
    "orders waiting in the store's outbox": WAITING,
    "delivered after the restart": storeOrders.filter((order) => order.status === "received").length,
    "status events while the store was down": events.length,
    "applied by the store": applied.length,
    "applied twice": applied.length - new Set(applied.map((event) => event.id)).size,
    "orders in the warehouse twice": repeated(warehouseOrders).length,
  });
});

test("SIGTERM the store during checkouts: every checkout it took in is answered, it exits 0, and each order reaches the warehouse once", async () => {
  const before = await stack.count("store-web", "SELECT count(*) FROM orders");
  let exitCode: number | null = null;
  const run = await underLoad({
    lanes: 4,
    steps: 10 * STOP_AFTER_CHECKOUTS,
    client: async () => {
      const customer = await shopperSession(stack.storeUrl);
      return async (step) => {
        const outcome = await customer.checkOut(`PO-TERM-${step}`);
        expect(outcome.kind).toBe("placed");
      };
    },
    chaos: async (progress) => {
      await progress.reached(STOP_AFTER_CHECKOUTS);
      exitCode = await stack.stopStore();
    },
    // No answer: the store is gone (it refuses new connections once it has been told to stop).
    untilNoAnswer: true,
  });
  const answered = run.answered.map(({ step }) => `PO-TERM-${step}`);
  const cutOff = run.cutOff.map((step) => `PO-TERM-${step}`);

  const references = await stack.column("store-web", "SELECT reference FROM orders");
  report("store graceful shutdown", {
    "checkouts answered": answered.length,
    "refused after SIGTERM": cutOff.length,
    "orders stored": references.length - before,
    "exit code": String(exitCode),
  });
  expect(exitCode, "the store exits 0 on its own").toBe(0);
  expect(references.length - before, "exactly the checkouts answered made orders").toBe(answered.length);
  expect(
    references.filter((reference) => cutOff.includes(reference)),
    "no order from a checkout left unanswered",
  ).toEqual([]);

  await stack.startStore();
  const inWarehouse = await stack.column("warehouse-api", "SELECT reference FROM orders WHERE reference LIKE 'PO-TERM-%'");
  expect(new Set(inWarehouse)).toEqual(new Set(answered));
  expect(repeated(inWarehouse)).toEqual([]);
});
