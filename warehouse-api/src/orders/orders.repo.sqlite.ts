import { and, asc, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { unionAll } from "drizzle-orm/sqlite-core";

import { createGroupCommit, inTransactionSpan } from "@fishtag/service-kit/group-commit";
import { promised } from "@fishtag/service-kit/promised";
import { traceContextJson } from "@fishtag/tracing/spans";

import type { Db } from "../db/client.js";
import { orderEvents, orderLines, orders, orderStatusCounts } from "../db/schema.js";
import { createSqliteStatusOutbox } from "../status-events/status-outbox.repo.js";
import { createIdempotencyKeys } from "./idempotency.js";
import { canTransition, ORDER_STATUSES, type OrderStatus } from "./lifecycle.js";
import type { CreateOnceResult, IdempotentCreate, NewOrderMeta, OrdersRepo, TransitionChange, TransitionResult } from "./orders.repo.js";
import { newOrder, parseStoredAnswer, toEvent, toOrder, type LineRow, type OrderRow } from "./orders.rows.js";
import type { CreateAnswer, CreateOrderInput, ListOrdersQuery, Order, OrderEvent, StatusCounts } from "./orders.schemas.js";

// The orders on SQLite: one writer, so creations share group commits (ADR 0011) and a transition takes
// the write lock before it reads.

const p = sql.placeholder;

/**
 * The writes behind order creation and transitions, with no rule and no transaction of their own: the
 * repository below runs them inside its transactions, after its checks.
 */
export function createOrderWrites(db: Db) {
  // Prepared once, run per order: built per call, drizzle would rebuild and re-prepare the statements for
  // every order (most of the ORM's cost in `npm run bench`).
  const insertOrder = db
    .insert(orders)
    .values({
      id: p("id"),
      storeOrderId: p("storeOrderId"),
      storeOrderNumber: p("storeOrderNumber"),
      reference: p("reference"),
      status: p("status"),
      customerName: p("customerName"),
      customerEmail: p("customerEmail"),
      shippingLine1: p("shippingLine1"),
      shippingLine2: p("shippingLine2"),
      shippingCity: p("shippingCity"),
      shippingPostalCode: p("shippingPostalCode"),
      shippingCountry: p("shippingCountry"),
      subtotalCents: p("subtotalCents"),
      shippingCents: p("shippingCents"),
      vatCents: p("vatCents"),
      totalCents: p("totalCents"),
      correlationId: p("correlationId"),
      priority: p("priority"),
      createdAt: p("createdAt"),
      updatedAt: p("updatedAt"),
    })
    .prepare();
  const insertLine = db
    .insert(orderLines)
    .values({
      orderId: p("orderId"),
      lineNo: p("lineNo"),
      sku: p("sku"),
      name: p("name"),
      quantity: p("quantity"),
      unitPriceCents: p("unitPriceCents"),
    })
    .prepare();
  const insertEvent = db
    .insert(orderEvents)
    .values({
      orderId: p("orderId"),
      type: p("type"),
      fromStatus: p("fromStatus"),
      toStatus: p("toStatus"),
      actor: p("actor"),
      reason: p("reason"),
      correlationId: p("correlationId"),
      at: p("at"),
    })
    .prepare();
  const countIn = db
    .insert(orderStatusCounts)
    .values({ status: p("status"), count: 1 })
    .onConflictDoUpdate({ target: orderStatusCounts.status, set: { count: sql`${orderStatusCounts.count} + 1` } })
    .prepare();
  const countOut = db
    .update(orderStatusCounts)
    .set({ count: sql`${orderStatusCounts.count} - 1` })
    .where(eq(orderStatusCounts.status, p("status")))
    .prepare();
  // Conditioned on the status the caller saw: of two staff moving the same order at once, only the first
  // matches; the second changes nothing and is told so, instead of silently overwriting the first.
  const updateStatus = db
    .update(orders)
    .set({ status: sql`${p("to")}`, updatedAt: sql`${p("updatedAt")}` })
    .where(and(eq(orders.id, p("id")), eq(orders.status, p("from"))))
    .prepare();

  return {
    /** A new order: its row, its lines, its first event and its status count. */
    insert(row: OrderRow, lines: LineRow[], actor: string) {
      insertOrder.run(row);
      for (const line of lines) insertLine.run(line);
      insertEvent.run({
        orderId: row.id,
        type: row.status === "rejected" ? "rejected" : "created",
        fromStatus: null,
        toStatus: row.status,
        actor,
        reason: null,
        correlationId: row.correlationId,
        at: row.createdAt,
      });
      countIn.run({ status: row.status });
    },

    /**
     * Moves an order from `from`, the status its caller read, writing the event and the counts. Changes
     * nothing and returns undefined when the order is no longer in `from` (someone else moved it first).
     */
    move(id: string, from: OrderStatus, change: TransitionChange): { eventId: number; at: Date } | undefined {
      const at = new Date();
      const { changes } = updateStatus.run({ id, from, to: change.to, updatedAt: at.getTime() });
      if (changes === 0) return undefined;
      const event = insertEvent.run({
        orderId: id,
        type: "status_changed",
        fromStatus: from,
        toStatus: change.to,
        actor: change.actor,
        reason: change.reason,
        correlationId: change.correlationId,
        at,
      });
      countOut.run({ status: from });
      countIn.run({ status: change.to });
      return { eventId: Number(event.lastInsertRowid), at };
    },
  };
}

export function createSqliteOrdersRepo(db: Db): OrdersRepo {
  const writes = createOrderWrites(db);
  const outbox = createSqliteStatusOutbox(db);
  const idempotencyKeys = createIdempotencyKeys(db);

  const linesOf = (ids: string[]) => {
    const rows = ids.length
      ? db.select().from(orderLines).where(inArray(orderLines.orderId, ids)).orderBy(asc(orderLines.orderId), asc(orderLines.lineNo)).all()
      : [];
    const byOrder = new Map<string, LineRow[]>();
    for (const line of rows) {
      const group = byOrder.get(line.orderId);
      if (group) group.push(line);
      else byOrder.set(line.orderId, [line]);
    }
    return byOrder;
  };

  function findById(id: string): Order | undefined {
    const row = db.select().from(orders).where(eq(orders.id, id)).get();
    return row && toOrder(row, linesOf([id]).get(id) ?? []);
  }

  /** One page of orders in this order, and the cursor past it: the id of its last order. */
  function page(where: SQL | undefined, order: SQL[], limit: number): { items: Order[]; nextCursor: string | null } {
    const rows = db
      .select()
      .from(orders)
      .where(where)
      .orderBy(...order)
      .limit(limit + 1)
      .all();
    const items = rows.slice(0, limit);
    const lines = linesOf(items.map((row) => row.id));
    return {
      items: items.map((row) => toOrder(row, lines.get(row.id) ?? [])),
      nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null,
    };
  }

  const priorityOf = db
    .select({ priority: orders.priority })
    .from(orders)
    .where(eq(orders.id, p("id")))
    .prepare();

  /**
   * The received tab is the packing queue: priority orders first, newest first within each group. Past a
   * cursor means past (priority, id) of the cursor's order, a row value that SQLite reads as one range of
   * orders_status_priority_id_idx (EXPLAIN QUERY PLAN in orders.repo.test.ts), so a page costs the same at
   * any depth. The cursor stays an order id, as on every other list: its priority is looked up, and it never
   * changes after creation. (A cursor naming no order is read as a non-priority one.)
   */
  function priorityFirst(statusIs: SQL | undefined, cursor: string | undefined): SQL | undefined {
    if (!cursor) return statusIs;
    const after = priorityOf.get({ id: cursor })?.priority ? 1 : 0;
    return and(statusIs, sql`(${orders.priority}, ${orders.id}) < (${after}, ${cursor})`);
  }

  const orderForStoreOrder = db
    .select({ id: orders.id })
    .from(orders)
    .where(eq(orders.storeOrderId, p("storeOrderId")))
    .prepare();

  // Orders arriving together share a transaction (group-commit.ts), each in its own savepoint. The batch
  // takes the write lock (IMMEDIATE) before the first key is looked up: no other connection can store the
  // same key between a look-up and its insert.
  const group = createGroupCommit(db.$client);
  const createOnceWork = (input: CreateOrderInput, meta: NewOrderMeta, idempotent: IdempotentCreate) => (): CreateOnceResult => {
    const seen = idempotencyKeys.find(idempotent.key);
    if (seen) {
      if (seen.fingerprint !== idempotent.fingerprint) return { kind: "key_reused", orderId: seen.orderId };
      return { kind: "replayed", orderId: seen.orderId, answer: storedAnswer(seen, idempotent) };
    }
    const existing = orderForStoreOrder.get({ storeOrderId: input.storeOrderId });
    if (existing) return { kind: "store_order_exists", orderId: existing.id };
    const { row, lines } = newOrder(input, meta);
    writes.insert(row, lines, meta.actor);
    const order = toOrder(row, lines);
    const answer = idempotent.answer(order);
    idempotencyKeys.insert({
      key: idempotent.key,
      fingerprint: idempotent.fingerprint,
      orderId: order.id,
      status: answer.status,
      body: JSON.stringify(answer.body),
      createdAt: row.createdAt,
    });
    return { kind: "created", order, answer };
  };

  /** The answer a key's row keeps, or one made again from the order (parseStoredAnswer says when). */
  function storedAnswer(row: { orderId: string; status: number; body: string }, idempotent: IdempotentCreate): CreateAnswer {
    const stored = parseStoredAnswer(row);
    if (stored) return stored;
    const order = findById(row.orderId);
    if (!order) throw new Error(`idempotency key ${idempotent.key} names order ${row.orderId}, which is gone`);
    return idempotent.answer(order);
  }

  return promised({
    findById,

    async createOnce(
      input: CreateOrderInput,
      meta: NewOrderMeta,
      idempotent: IdempotentCreate,
    ): Promise<CreateOnceResult & { batchSize: number }> {
      const { result, batchSize } = await group.write(createOnceWork(input, meta, idempotent), {
        operation: "INSERT",
        collection: "orders",
      });
      return { ...result, batchSize };
    },

    transition(id: string, change: TransitionChange): TransitionResult {
      // IMMEDIATE takes the write lock before the read, so no other connection can move the order between
      // the check and the update; the conditional UPDATE (writes.move) guards the same rule without it.
      // The status event continues the request's trace, not the transaction's span, which is over by then.
      const traceContext = traceContextJson();
      return inTransactionSpan({ operation: "UPDATE", collection: "orders" }, () =>
        db.$client
          .transaction((): TransitionResult => {
            const current = db.select({ status: orders.status }).from(orders).where(eq(orders.id, id)).get();
            if (!current) return { kind: "not_found" };
            if (!canTransition(current.status, change.to)) return { kind: "not_allowed", from: current.status };
            const moved = writes.move(id, current.status, change);
            const order = moved && findById(id);
            if (!moved || !order) return { kind: "not_allowed", from: current.status };
            const { eventId, at } = moved;
            outbox.enqueue({
              eventId,
              orderId: id,
              storeOrderId: order.storeOrderId,
              status: change.to,
              reason: change.reason,
              correlationId: change.correlationId,
              traceContext,
              at,
            });
            return { kind: "changed", order, from: current.status };
          })
          .immediate(),
      );
    },

    events(orderId: string): OrderEvent[] {
      return db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.id)).all().map(toEvent);
    },

    counts(): StatusCounts {
      const counts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as StatusCounts;
      for (const { status, count } of db.select().from(orderStatusCounts).all()) counts[status] = count;
      return counts;
    },

    /**
     * Newest first, keyset-paginated on the time-ordered id: stable while new orders arrive. The received
     * tab alone puts priority orders first (`priorityFirst`).
     *
     * `q` matches a whole key, as staff paste or read it out: the order id; the store's order number, the
     * PO number and the customer email in any case (upper-case, lower() and lower-case, as each is indexed);
     * or the correlation ID of any event in the order's trail (the checkout that placed it, each staff move,
     * a cancellation). Exact so that a page costs the same at any size: each key is then one index range
     * already ordered by id, and its newest `limit + 1` matches past the cursor are read straight off the
     * index. A prefix, or even a plain OR of the keys, makes SQLite collect every match and sort them all
     * before it can take a page.
     *
     * So each key is searched on its own and the page is taken from their union. The status and cursor
     * go inside every branch: applied after the branch's LIMIT, they could leave a page short. `IN`
     * also shows an order matched by two keys only once.
     */
    list({ status, q, limit, cursor }: ListOrdersQuery): { items: Order[]; nextCursor: string | null } {
      const statusIs = status ? eq(orders.status, status) : undefined;
      if (status === "received" && !q) return page(priorityFirst(statusIs, cursor), [desc(orders.priority), desc(orders.id)], limit);
      const filters = and(statusIs, cursor ? lt(orders.id, cursor) : undefined);
      const newestMatching = (key: SQL, name: string) => {
        const branch = db
          .select({ id: orders.id })
          .from(orders)
          .where(and(key, filters))
          .orderBy(desc(orders.id))
          .limit(limit + 1)
          .as(name);
        // SQLite takes no ORDER BY or LIMIT on a member of a UNION itself, only on a subquery inside one.
        return db.select({ id: branch.id }).from(branch);
      };
      // The trail's events, by the order each belongs to: (correlation_id, order_id) is one index range,
      // newest order first; each match then costs one look-up of its order, for the status filter.
      const withEventMatching = (correlationId: string) => {
        const branch = db
          .select({ id: orderEvents.orderId })
          .from(orderEvents)
          .innerJoin(orders, eq(orders.id, orderEvents.orderId))
          .where(and(eq(orderEvents.correlationId, correlationId), statusIs, cursor ? lt(orderEvents.orderId, cursor) : undefined))
          .orderBy(desc(orderEvents.orderId))
          .limit(limit + 1)
          .as("by_event_correlation_id");
        return db.select({ id: branch.id }).from(branch);
      };
      const where = q
        ? inArray(
            orders.id,
            unionAll(
              newestMatching(eq(orders.id, q), "by_id"),
              newestMatching(eq(orders.storeOrderNumber, q.toUpperCase()), "by_store_order_number"),
              // lower() on both sides, so a reference matches itself whatever SQLite's lower() makes of it.
              newestMatching(sql`lower(${orders.reference}) = lower(${q})`, "by_reference"),
              newestMatching(eq(orders.customerEmail, q.toLowerCase()), "by_email"),
              withEventMatching(q),
            ),
          )
        : filters;
      return page(where, [desc(orders.id)], limit);
    },
  });
}
