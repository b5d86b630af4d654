import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";

import type { PgDb, PgTx } from "../db/client.server";
import { orderLines, orders, orderStatusHistory, orderViewers } from "../db/schema.postgres";
import type { createPostgresOrderOutbox } from "../order-outbox/order-outbox.repo.postgres";
import { formatOrderNumber } from "./order-number";
import type { StatusSource, StoreOrderStatus } from "./order-status";
import { newOrderRow, toDetail, UNCONFIRMED, type OrderDetail, type OrdersRepo } from "./orders.repo";

type Executor = PgDb | PgTx;

/**
 * The store's orders on Postgres (ADR 0015), where several replicas take checkouts and status events at
 * once: the order number comes from the identity column, and a status event takes its order's row lock
 * before it checks what was applied, where SQLite takes the one write lock.
 */
export function createPostgresOrdersRepo(db: PgDb, outbox: ReturnType<typeof createPostgresOrderOutbox>): OrdersRepo {
  // A browser's orders: those it placed, and those it was let see by a guest lookup (findAsGuest).
  const visibleTo = (customerId: string) =>
    or(
      eq(orders.customerId, customerId),
      inArray(
        orders.number,
        db.select({ number: orderViewers.orderNumber }).from(orderViewers).where(eq(orderViewers.customerId, customerId)),
      ),
    );

  async function detail(executor: Executor, row: typeof orders.$inferSelect): Promise<OrderDetail> {
    const [lines, history] = await Promise.all([
      executor.select().from(orderLines).where(eq(orderLines.orderNumber, row.number)).orderBy(asc(orderLines.lineNo)),
      executor.select().from(orderStatusHistory).where(eq(orderStatusHistory.orderNumber, row.number)).orderBy(asc(orderStatusHistory.id)),
    ]);
    return toDetail(row, lines, history);
  }

  const history = (
    tx: PgTx,
    orderNumber: number,
    status: StoreOrderStatus,
    source: StatusSource,
    correlationId: string,
    at: Date,
    event?: { warehouseEventId: number; reason: string | null },
  ) =>
    tx.insert(orderStatusHistory).values({
      orderNumber,
      status,
      source,
      correlationId,
      warehouseEventId: event?.warehouseEventId ?? null,
      reason: event?.reason ?? null,
      at,
    });

  return {
    async create(order, now = new Date()) {
      const id = crypto.randomUUID();
      const row = newOrderRow(order, id, now);
      const number = await db.transaction(async (tx) => {
        const [inserted] = await tx.insert(orders).values(row).returning({ number: orders.number });
        if (!inserted) throw new Error("the new order's row did not come back");
        if (order.lines.length > 0)
          await tx
            .insert(orderLines)
            .values(order.lines.map((line, index) => ({ orderNumber: inserted.number, lineNo: index + 1, ...line })));
        await history(tx, inserted.number, "pending", "checkout", order.correlationId, now);
        await outbox.enqueue(tx, { storeOrderId: id, correlationId: order.correlationId, now });
        return inserted.number;
      });
      return { id, number: formatOrderNumber(number), totalCents: row.totalCents };
    },

    async recordCheckoutOutcome(id, outcome, correlationId, now = new Date()) {
      await db.transaction(async (tx) => {
        const warehouseOrderId = "warehouseOrderId" in outcome ? outcome.warehouseOrderId : null;
        if (warehouseOrderId)
          await tx
            .update(orders)
            .set({ warehouseOrderId })
            .where(and(eq(orders.id, id), isNull(orders.warehouseOrderId)));
        // The same conditions as SQLite's (orders.repo.ts says why); one UPDATE, so two replicas cannot both pass them.
        const [updated] = await tx
          .update(orders)
          .set({ status: outcome.status, updatedAt: now })
          .where(
            and(
              eq(orders.id, id),
              isNull(orders.lastWarehouseEventId),
              inArray(orders.status, UNCONFIRMED),
              ne(orders.status, outcome.status),
            ),
          )
          .returning({ number: orders.number });
        if (updated) await history(tx, updated.number, outcome.status, "checkout", correlationId, now);
      });
    },

    async findAsGuest(customerId, number, email, now = new Date()) {
      const [found] = await db
        .select({ number: orders.number })
        .from(orders)
        .where(and(eq(orders.number, number), eq(sql`lower(${orders.customerEmail})`, sql`lower(${email})`)));
      if (!found) return false;
      await db.insert(orderViewers).values({ orderNumber: number, customerId, grantedAt: now }).onConflictDoNothing();
      return true;
    },

    async listForCustomer(customerId, limit = 50) {
      const rows = await db
        .select({
          id: orders.id,
          number: orders.number,
          status: orders.status,
          reference: orders.reference,
          totalCents: orders.totalCents,
          createdAt: orders.createdAt,
          itemCount: sql<number>`(select coalesce(sum(${orderLines.quantity}), 0)::int from ${orderLines} where ${orderLines.orderNumber} = ${orders.number})`,
        })
        .from(orders)
        .where(visibleTo(customerId))
        .orderBy(desc(orders.number))
        .limit(limit);
      return rows.map((row) => ({ ...row, number: formatOrderNumber(row.number), createdAt: row.createdAt.toISOString() }));
    },

    async findForCustomer(customerId, number) {
      const [row] = await db
        .select()
        .from(orders)
        .where(and(eq(orders.number, number), visibleTo(customerId)));
      return row ? detail(db, row) : undefined;
    },

    async findById(id) {
      const [row] = await db.select().from(orders).where(eq(orders.id, id));
      return row ? detail(db, row) : undefined;
    },

    async applyWarehouseUpdate(update, correlationId) {
      return db.transaction(async (tx) => {
        // The order's row lock: two deliveries of one event (two replicas, a retry) take turns here.
        const [order] = await tx.select().from(orders).where(eq(orders.id, update.storeOrderId)).for("update");
        if (!order) return { outcome: "unknown_order" } as const;
        const orderNumber = formatOrderNumber(order.number);
        const lastEventId = order.lastWarehouseEventId;
        const [seen] = await tx
          .select({ id: orderStatusHistory.id })
          .from(orderStatusHistory)
          .where(eq(orderStatusHistory.warehouseEventId, update.eventId));
        if (seen) return { outcome: "duplicate", orderNumber, lastEventId } as const;
        if (lastEventId !== null && update.eventId < lastEventId) return { outcome: "stale", orderNumber, lastEventId } as const;

        await tx
          .update(orders)
          .set({
            status: update.status,
            lastWarehouseEventId: update.eventId,
            warehouseOrderId: order.warehouseOrderId ?? update.warehouseOrderId,
            updatedAt: new Date(),
          })
          .where(eq(orders.number, order.number));
        await history(tx, order.number, update.status, "warehouse", correlationId, update.at, {
          warehouseEventId: update.eventId,
          reason: update.reason,
        });
        return { outcome: "applied", orderNumber, status: update.status } as const;
      });
    },
  };
}
