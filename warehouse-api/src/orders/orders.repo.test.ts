import { afterEach, describe, expect, it } from "vitest";

import { orderInput } from "../test/fixtures.js";
import { storeOrder } from "../test/orders.js";
import { createTestWarehouse, testDialect, type TestWarehouse } from "../testing.js";
import { NEXT_STATUSES, ORDER_STATUSES, type OrderStatus } from "./lifecycle.js";
import { createOrdersRepo, type OrdersRepo } from "./orders.repo.js";
import { createOrderWrites } from "./orders.repo.sqlite.js";

let warehouse: TestWarehouse | undefined;
afterEach(async () => {
  await warehouse?.close();
});

async function repo() {
  warehouse = await createTestWarehouse();
  return createOrdersRepo(warehouse.database);
}

const staff = (correlationId: string) => ({ actor: "ada@warehouse.test", correlationId, reason: null });

// The shortest walk from `received` to each status, through the lifecycle itself.
const PATH_TO: Record<Exclude<OrderStatus, "rejected">, OrderStatus[]> = {
  received: [],
  picking: ["picking"],
  packed: ["picking", "packed"],
  shipped: ["picking", "packed", "shipped"],
  cancelled: ["cancelled"],
};

describe("order lifecycle", () => {
  const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)("%s → %s is allowed only where the lifecycle says so", async (from, to) => {
    const orders = await repo();
    const created = await storeOrder(orders, orderInput(), {
      status: from === "rejected" ? "rejected" : "received",
      actor: "store",
      correlationId: "c0",
    });
    if (from !== "rejected") {
      for (const step of PATH_TO[from]) await orders.transition(created.id, { ...staff("walk"), to: step, reason: "walk" });
    }
    expect((await orders.findById(created.id))?.status).toBe(from);

    const result = await orders.transition(created.id, { ...staff("move"), to, reason: "because" });

    if (NEXT_STATUSES[from].includes(to)) {
      expect(result).toMatchObject({ kind: "changed", order: { status: to } });
    } else {
      expect(result).toEqual({ kind: "not_allowed", from });
      expect((await orders.findById(created.id))?.status).toBe(from);
    }
  });

  it("answers not_found for an unknown order", async () => {
    expect(await (await repo()).transition(crypto.randomUUID(), { ...staff("x"), to: "picking" })).toEqual({ kind: "not_found" });
  });

  it("writes the trail: creation by the store, then each move with its actor, reason and correlation ID", async () => {
    const orders = await repo();
    const { id } = await storeOrder(orders, orderInput(), { status: "received", actor: "store", correlationId: "checkout-1" });
    await orders.transition(id, { ...staff("staff-1"), to: "picking" });
    await orders.transition(id, { ...staff("staff-2"), to: "cancelled", reason: "customer called" });

    expect(await orders.events(id)).toEqual([
      expect.objectContaining({
        orderId: id,
        type: "created",
        fromStatus: null,
        toStatus: "received",
        actor: "store",
        correlationId: "checkout-1",
      }),
      expect.objectContaining({
        type: "status_changed",
        fromStatus: "received",
        toStatus: "picking",
        actor: "ada@warehouse.test",
        correlationId: "staff-1",
        reason: null,
      }),
      expect.objectContaining({
        type: "status_changed",
        fromStatus: "picking",
        toStatus: "cancelled",
        correlationId: "staff-2",
        reason: "customer called",
      }),
    ]);
  });

  it("records a rejection as the order's first event", async () => {
    const orders = await repo();
    const { id } = await storeOrder(orders, orderInput({ reference: "F-1" }), {
      status: "rejected",
      actor: "store",
      correlationId: "checkout-f",
    });

    expect(await orders.events(id)).toEqual([
      expect.objectContaining({ type: "rejected", toStatus: "rejected", correlationId: "checkout-f" }),
    ]);
  });

  it("keeps the status counts in step with the orders", async () => {
    const orders = await repo();
    const a = await storeOrder(orders, orderInput(), { status: "received", actor: "store", correlationId: "a" });
    await storeOrder(orders, orderInput(), { status: "received", actor: "store", correlationId: "b" });
    await storeOrder(orders, orderInput({ reference: "F-2" }), { status: "rejected", actor: "store", correlationId: "c" });
    await orders.transition(a.id, { ...staff("d"), to: "picking" });

    expect(await orders.counts()).toEqual({ received: 1, picking: 1, packed: 0, shipped: 0, cancelled: 0, rejected: 1 });
  });

  // Every creation and move updates the shared count rows in its own transaction: however they
  // interleave (on Postgres from two replicas, each with its pool), the counts are the orders' own.
  it("keeps the counts in step under concurrent creations and moves, from two replicas on Postgres", async () => {
    warehouse = await createTestWarehouse();
    const orders = createOrdersRepo(warehouse.database);
    const replica = testDialect() === "postgres" ? await createTestWarehouse({ replicaOf: warehouse }) : undefined;
    try {
      const replicas = [orders, replica ? createOrdersRepo(replica.database) : orders];
      const on = (n: number) => replicas[n % 2] ?? orders;
      const created = await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          storeOrder(on(n), orderInput(), { status: "received", actor: "store", correlationId: `c${n}` }),
        ),
      );
      // A quarter stay received, a quarter are cancelled, half go to picking, and half of those on to packed.
      const moved = created.filter((_, n) => n % 4 !== 0);
      await Promise.all(moved.map(({ id }, n) => on(n).transition(id, { ...staff(`m${n}`), to: n % 3 === 0 ? "cancelled" : "picking" })));
      const picked = moved.filter((_, n) => n % 3 !== 0);
      await Promise.all(
        picked.filter((_, n) => n % 2 === 0).map(({ id }, n) => on(n + 1).transition(id, { ...staff(`p${n}`), to: "packed" })),
      );

      expect(await orders.counts()).toEqual({ received: 10, picking: 10, packed: 10, shipped: 0, cancelled: 10, rejected: 0 });
    } finally {
      await replica?.close();
    }
  });

  // SQLite's conditional UPDATE (Postgres's transition locks the row instead: no stale write to make there).
  it.skipIf(testDialect() !== "sqlite")(
    "never overwrites a move made after the caller read the status: the stale write changes nothing",
    async () => {
      warehouse = await createTestWarehouse();
      const orders = createOrdersRepo(warehouse.database);
      const writes = createOrderWrites(warehouse.db);
      const { id } = await storeOrder(orders, orderInput(), { status: "received", actor: "store", correlationId: "a" });
      // Two staff both saw "received"; the first cancels, the second's "picking" arrives late. `transition`
      // cannot stage this (it reads and writes under one lock), so the write is made with the stale read.
      expect(writes.move(id, "received", { ...staff("first"), to: "cancelled", reason: "duplicate" })).toBeDefined();

      expect(writes.move(id, "received", { ...staff("second"), to: "picking" })).toBeUndefined();
      expect((await orders.findById(id))?.status).toBe("cancelled");
      expect((await orders.events(id)).map((event) => event.correlationId)).toEqual(["a", "first"]);
      expect(await orders.counts()).toMatchObject({ received: 0, picking: 0, cancelled: 1 });
    },
  );
});

describe("order search", () => {
  const CUSTOMER = "ada@example.com";

  /**
   * 25 orders for one customer among 25 for others, every third of hers moved to picking, and one more of
   * hers whose reference is her email (found by two keys, so it must still come once).
   */
  async function seedSearch() {
    const orders = await repo();
    const hers: string[] = [];
    const picking: string[] = [];
    for (let i = 0; i < 25; i++) {
      const { id } = await storeOrder(orders, orderInput({ reference: `PO-${i}`, customer: { name: "Ada", email: CUSTOMER } }), {
        status: "received",
        actor: "store",
        correlationId: `a${i}`,
      });
      hers.push(id);
      if (i % 3 === 0) {
        await orders.transition(id, { ...staff(`move-${i}`), to: "picking" });
        picking.push(id);
      }
      await storeOrder(orders, orderInput({ reference: `PO-${i}`, customer: { name: "Bob", email: "bob@example.com" } }), {
        status: "received",
        actor: "store",
        correlationId: `b${i}`,
      });
    }
    const twice = await storeOrder(orders, orderInput({ reference: CUSTOMER, customer: { name: "Ada", email: CUSTOMER } }), {
      status: "received",
      actor: "store",
      correlationId: "twice",
    });
    hers.push(twice.id);
    return { orders, hers, picking };
  }

  /** Every page of a search, following nextCursor to the end. */
  async function walk(orders: OrdersRepo, query: { q: string; status?: OrderStatus; limit: number }) {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await orders.list({ ...query, cursor });
      expect(page.items.length).toBeLessThanOrEqual(query.limit);
      seen.push(...page.items.map((order) => order.id));
      if (!page.nextCursor) return seen;
      cursor = page.nextCursor;
    }
    throw new Error("the search never ran out of pages");
  }

  const newestFirst = (ids: string[]) => [...ids].sort().reverse();

  it("pages through every match newest first, none skipped or repeated", async () => {
    const { orders, hers } = await seedSearch();

    expect(await walk(orders, { q: "ADA@example.com", limit: 4 })).toEqual(newestFirst(hers));
    // A full last page: the cursor then points at the oldest match and the next page is empty.
    expect(await walk(orders, { q: CUSTOMER, limit: 13 })).toEqual(newestFirst(hers));
  });

  it("combines a search with a status, page by page, even when most of the matches are in other statuses", async () => {
    const { orders, picking } = await seedSearch();

    expect(await walk(orders, { q: CUSTOMER, status: "picking", limit: 3 })).toEqual(newestFirst(picking));
    expect(await orders.list({ q: CUSTOMER, status: "shipped", limit: 20 })).toEqual({ items: [], nextCursor: null });
    expect((await orders.list({ q: "PO-3", status: "picking", limit: 20 })).items.map((order) => order.customer.email)).toEqual([CUSTOMER]);
  });

  it("finds an order by the store's order number, in any case", async () => {
    const orders = await repo();
    const { id } = await storeOrder(orders, orderInput({ storeOrderNumber: "ST-004242" }), {
      status: "received",
      actor: "store",
      correlationId: "n",
    });
    await storeOrder(orders, orderInput({ storeOrderNumber: "ST-004243" }), { status: "received", actor: "store", correlationId: "m" });

    expect((await orders.list({ q: "ST-004242", limit: 20 })).items.map((order) => order.id)).toEqual([id]);
    expect((await orders.list({ q: "st-004242", limit: 20 })).items.map((order) => order.id)).toEqual([id]);
    expect((await orders.list({ q: "ST-0042", limit: 20 })).items).toEqual([]);
  });

  it("finds an order by the correlation ID of any event in its trail, newest first, with a status and page by page", async () => {
    const orders = await repo();
    // One ID on many orders' events: a batch a script moved under one request, say.
    const moved: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { id } = await storeOrder(orders, orderInput(), { status: "received", actor: "store", correlationId: `checkout-${i}` });
      await orders.transition(id, { ...staff("batch"), to: i % 2 ? "picking" : "cancelled", reason: i % 2 ? null : "duplicate" });
      moved.push(id);
    }
    const picking = moved.filter((_, i) => i % 2);

    expect(await walk(orders, { q: "batch", limit: 3 })).toEqual(newestFirst(moved));
    expect(await walk(orders, { q: "batch", status: "picking", limit: 2 })).toEqual(newestFirst(picking));
    expect((await orders.list({ q: "checkout-3", limit: 20 })).items.map((order) => order.id)).toEqual([moved[3]]);
    expect((await orders.list({ q: "checkout-3", status: "cancelled", limit: 20 })).items).toEqual([]);
  });

  it("finds an order by a reference or email only as a whole, never by its start", async () => {
    const { orders } = await seedSearch();

    expect((await orders.list({ q: "PO-2", limit: 20 })).items).toHaveLength(2);
    expect((await orders.list({ q: "ada@", limit: 20 })).items).toEqual([]);
    expect((await orders.list({ q: "PO-", limit: 20 })).items).toEqual([]);
  });
});

describe("the received tab", () => {
  /** 16 orders, every third with priority; three of them moved on to picking, the oldest of those with priority. */
  async function seedQueue() {
    const orders = await repo();
    const created: { id: string; priority: boolean }[] = [];
    for (let i = 0; i < 16; i++) {
      const priority = i % 3 === 0;
      const { id } = await storeOrder(orders, orderInput(), { status: "received", actor: "store", correlationId: `c${i}`, priority });
      if (i >= 12 && i < 15) await orders.transition(id, { ...staff(`pick-${i}`), to: "picking" });
      else created.push({ id, priority });
    }
    const newestFirst = (ids: string[]) => [...ids].sort().reverse();
    const expected = [
      ...newestFirst(created.filter((order) => order.priority).map((order) => order.id)),
      ...newestFirst(created.filter((order) => !order.priority).map((order) => order.id)),
    ];
    return { orders, expected };
  }

  it("lists priority orders first, newest first within each group, page by page with none skipped or repeated", async () => {
    const { orders, expected } = await seedQueue();

    for (const limit of [2, 3, 5, 13, 20]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await orders.list({ status: "received", limit, cursor });
        seen.push(...page.items.map((order) => order.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(expected);
    }
    expect((await orders.list({ status: "received", limit: 5 })).items.map((order) => order.priority)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it("keeps every other list newest first, priority or not", async () => {
    const { orders } = await seedQueue();

    const all = (await orders.list({ limit: 100 })).items.map((order) => order.id);
    expect(all).toEqual([...all].sort().reverse());
    expect((await orders.list({ status: "picking", limit: 100 })).items.map((order) => order.priority)).toEqual([false, false, true]);
  });

  it.skipIf(testDialect() !== "sqlite")(
    "reads each page of the queue as one range of the (status, priority, id) index, with no sort",
    async () => {
      const { orders } = await seedQueue();
      const cursor = (await orders.list({ status: "received", limit: 3 })).nextCursor ?? "";
      const sqlite = warehouse?.db.$client;
      if (!sqlite) throw new Error("no database");

      // The statements the repository runs, as drizzle writes them (same tables, same predicates).
      const plan = (query: string, ...params: unknown[]) =>
        (sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...params) as { detail: string }[]).map((row) => row.detail).join(" | ");
      const first = plan(`SELECT * FROM orders WHERE status = ? ORDER BY priority DESC, id DESC LIMIT 21`, "received");
      const next = plan(
        `SELECT * FROM orders WHERE status = ? AND (priority, id) < (?, ?) ORDER BY priority DESC, id DESC LIMIT 21`,
        "received",
        1,
        cursor,
      );
      expect(first).toBe("SEARCH orders USING INDEX orders_status_priority_id_idx (status=?)");
      expect(next).toBe("SEARCH orders USING INDEX orders_status_priority_id_idx (status=? AND (priority,id)<(?,?))");
    },
  );
});
