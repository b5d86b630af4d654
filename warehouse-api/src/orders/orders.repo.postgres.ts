import { and, asc, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";

import { inTransactionSpanAsync } from "@fishtag/service-kit/group-commit";
import { traceContextJson } from "@fishtag/tracing/spans";

import type { PgDb, PgTx } from "../db/client.js";
import { idempotencyKeys, orderEvents, orderLines, orders, orderStatusCounts } from "../db/schema.postgres.js";
import { createPostgresStatusOutbox } from "../status-events/status-outbox.repo.postgres.js";
import { canTransition, ORDER_STATUSES } from "./lifecycle.js";
import type { CreateOnceResult, IdempotentCreate, NewOrderMeta, OrdersRepo, TransitionChange, TransitionResult } from "./orders.repo.js";
import { newOrder, parseStoredAnswer, toEvent, toOrder, type LineRow } from "./orders.rows.js";
import type { CreateOrderInput, ListOrdersQuery, Order, StatusCounts } from "./orders.schemas.js";

// The orders on Postgres (ADR 0015). Many writers at once, from every replica: each creation and each move
// is a transaction of its own (the server groups their WAL flushes itself), and what SQLite gets from its
// single writer, Postgres gets from row locks and the unique indexes.

type Executor = PgDb | PgTx;

/** Postgres's code for a unique index refusing a row: another transaction stored the same key first. */
const UNIQUE_VIOLATION = "23505";

function isUniqueViolation(error: unknown): boolean {
  // drizzle wraps the driver's error; its cause carries the SQLSTATE.
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause)
    if ((cause as Error & { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  return false;
}

export function createPostgresOrdersRepo(db: PgDb): OrdersRepo {
  const outbox = createPostgresStatusOutbox(db);

  async function linesOf(executor: Executor, ids: string[]): Promise<Map<string, LineRow[]>> {
    const rows = ids.length
      ? await executor
          .select()
          .from(orderLines)
          .where(inArray(orderLines.orderId, ids))
          .orderBy(asc(orderLines.orderId), asc(orderLines.lineNo))
      : [];
    const byOrder = new Map<string, LineRow[]>();
    for (const line of rows) {
      const group = byOrder.get(line.orderId);
      if (group) group.push(line);
      else byOrder.set(line.orderId, [line]);
    }
    return byOrder;
  }

  async function findById(id: string, executor: Executor = db): Promise<Order | undefined> {
    const [row] = await executor.select().from(orders).where(eq(orders.id, id));
    return row && toOrder(row, (await linesOf(executor, [id])).get(id) ?? []);
  }

  async function page(where: SQL | undefined, order: SQL[], limit: number): Promise<{ items: Order[]; nextCursor: string | null }> {
    const rows = await db
      .select()
      .from(orders)
      .where(where)
      .orderBy(...order)
      .limit(limit + 1);
    const items = rows.slice(0, limit);
    const lines = await linesOf(
      db,
      items.map((row) => row.id),
    );
    return {
      items: items.map((row) => toOrder(row, lines.get(row.id) ?? [])),
      nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null,
    };
  }

  /** One try at creating the order; a unique index refusing it means another transaction got there first. */
  async function createOnceTry(input: CreateOrderInput, meta: NewOrderMeta, idempotent: IdempotentCreate): Promise<CreateOnceResult> {
    return db.transaction(async (tx): Promise<CreateOnceResult> => {
      const [seen] = await tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, idempotent.key));
      if (seen) {
        if (seen.fingerprint !== idempotent.fingerprint) return { kind: "key_reused", orderId: seen.orderId };
        const stored = parseStoredAnswer(seen);
        if (stored) return { kind: "replayed", orderId: seen.orderId, answer: stored };
        const order = await findById(seen.orderId, tx);
        if (!order) throw new Error(`idempotency key ${idempotent.key} names order ${seen.orderId}, which is gone`);
        return { kind: "replayed", orderId: seen.orderId, answer: idempotent.answer(order) };
      }
      const [existing] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.storeOrderId, input.storeOrderId));
      if (existing) return { kind: "store_order_exists", orderId: existing.id };

      const { row, lines } = newOrder(input, meta);
      const order = toOrder(row, lines);
      const answer = idempotent.answer(order);
      await tx.insert(orders).values(row);
      await tx.insert(orderLines).values(lines);
      await tx.insert(orderEvents).values({
        orderId: row.id,
        type: row.status === "rejected" ? "rejected" : "created",
        fromStatus: null,
        toStatus: row.status,
        actor: meta.actor,
        reason: null,
        correlationId: row.correlationId,
        at: row.createdAt,
      });
      await tx.insert(idempotencyKeys).values({
        key: idempotent.key,
        fingerprint: idempotent.fingerprint,
        orderId: order.id,
        status: answer.status,
        body: JSON.stringify(answer.body),
        createdAt: row.createdAt,
      });
      // Last: the count's row is the one every creation shares, so its lock is held only for the commit.
      await countIn(tx, row.status);
      return { kind: "created", order, answer };
    });
  }

  const countIn = (tx: PgTx, status: Order["status"]) =>
    tx
      .insert(orderStatusCounts)
      .values({ status, count: 1 })
      .onConflictDoUpdate({ target: orderStatusCounts.status, set: { count: sql`${orderStatusCounts.count} + 1` } });

  return {
    findById: (id) => findById(id),

    async createOnce(input, meta, idempotent) {
      const result = await inTransactionSpanAsync({ operation: "INSERT", collection: "orders" }, "postgresql", async () => {
        try {
          return await createOnceTry(input, meta, idempotent);
        } catch (error) {
          // Two requests with the same key (or the same store order) on two replicas both found nothing and
          // both inserted; the second waited for the first's commit and was refused. Once more, it finds
          // the first's row and answers as a repeat would.
          if (!isUniqueViolation(error)) throw error;
          return createOnceTry(input, meta, idempotent);
        }
      });
      return { ...result, batchSize: 1 };
    },

    async transition(id: string, change: TransitionChange): Promise<TransitionResult> {
      // The status event continues the request's trace, not the transaction's span, which is over by then.
      const traceContext = traceContextJson();
      return inTransactionSpanAsync({ operation: "UPDATE", collection: "orders" }, "postgresql", () =>
        db.transaction(async (tx): Promise<TransitionResult> => {
          // FOR UPDATE: a second move of the same order, on any replica, waits here and then reads this one's result.
          const [current] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, id)).for("update");
          if (!current) return { kind: "not_found" };
          const from = current.status;
          if (!canTransition(from, change.to)) return { kind: "not_allowed", from };
          const at = new Date();
          await tx.update(orders).set({ status: change.to, updatedAt: at }).where(eq(orders.id, id));
          const [event] = await tx
            .insert(orderEvents)
            .values({
              orderId: id,
              type: "status_changed",
              fromStatus: from,
              toStatus: change.to,
              actor: change.actor,
              reason: change.reason,
              correlationId: change.correlationId,
              at,
            })
            .returning({ id: orderEvents.id });
          const order = await findById(id, tx);
          if (!event || !order) throw new Error(`order ${id} moved, but its event or row did not read back`);
          await outbox.enqueue(tx, {
            eventId: event.id,
            orderId: id,
            storeOrderId: order.storeOrderId,
            status: change.to,
            reason: change.reason,
            correlationId: change.correlationId,
            traceContext,
            at,
          });
          // Last, as in createOnce: the shared count rows are locked only for the commit.
          await tx
            .update(orderStatusCounts)
            .set({ count: sql`${orderStatusCounts.count} - 1` })
            .where(eq(orderStatusCounts.status, from));
          await countIn(tx, change.to);
          return { kind: "changed", order, from };
        }),
      );
    },

    async events(orderId) {
      const rows = await db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.id));
      return rows.map(toEvent);
    },

    async counts() {
      const counts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as StatusCounts;
      for (const { status, count } of await db.select().from(orderStatusCounts)) counts[status] = count;
      return counts;
    },

    // The same plan as SQLite's (orders.repo.sqlite.ts explains it): each key is one index range already
    // ordered by id, searched on its own, and the page is taken from their union.
    async list({ status, q, limit, cursor }: ListOrdersQuery) {
      const statusIs = status ? eq(orders.status, status) : undefined;
      if (status === "received" && !q) {
        let where = statusIs;
        if (cursor) {
          const [after] = await db.select({ priority: orders.priority }).from(orders).where(eq(orders.id, cursor));
          where = and(statusIs, sql`(${orders.priority}, ${orders.id}) < (${after?.priority ?? false}, ${cursor})`);
        }
        return page(where, [desc(orders.priority), desc(orders.id)], limit);
      }
      if (status && !q) {
        // A status tab is one range of orders_status_id_idx, newest first. Written `status = $1`, the
        // status is a constant to Postgres: it drops it from the ORDER BY, and may then walk orders_pkey
        // backwards skipping the other statuses instead. For shipped (nine orders in ten) it does, and
        // skips every order of the last few days, none of them shipped yet, before the first it returns:
        // 33,000 of a million seeded orders, 13 ms a page in bench:list. As `= ANY(array)` the status stays
        // in the order, which only this index gives (orders.plans.postgres.test.ts holds the plan to it).
        const statusAmong = sql`${orders.status} = ANY(${sql.param([status])}::text[])`;
        return page(and(statusAmong, cursor ? lt(orders.id, cursor) : undefined), [desc(orders.status), desc(orders.id)], limit);
      }
      const filters = and(statusIs, cursor ? lt(orders.id, cursor) : undefined);
      const newestMatching = (key: SQL, name: string) => {
        const branch = db
          .select({ id: orders.id })
          .from(orders)
          .where(and(key, filters))
          .orderBy(desc(orders.id))
          .limit(limit + 1)
          .as(name);
        return db.select({ id: branch.id }).from(branch);
      };
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
              newestMatching(sql`lower(${orders.reference}) = lower(${q})`, "by_reference"),
              newestMatching(eq(orders.customerEmail, q.toLowerCase()), "by_email"),
              withEventMatching(q),
            ),
          )
        : filters;
      return page(where, [desc(orders.id)], limit);
    },
  };
}
