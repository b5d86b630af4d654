import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";

import { traceContextJson } from "@fishtag/tracing/spans";

import type { PgDb, PgTx } from "../db/client.server";
import { orderOutbox } from "../db/schema.postgres";
import { firstRelayAttemptAt, type OrderOutbox, type OutboxRow } from "./order-outbox.repo";

/** Rows claimed at once, at most: the relay delivers them one after another. */
export const CLAIM_ROWS = 10;

/**
 * How long a replica's relay holds the rows it took: a batch of deliveries, each within the warehouse
 * client's whole budget (WAREHOUSE_TIMEOUT_MS, retries included), and a margin. No longer: a replica
 * killed mid-delivery leaves its rows to another (or to itself restarted) once this has passed. Were a
 * delivery slower still, the order's Idempotency-Key (its id) makes a second one a replay, not a second order.
 */
export const claimMsFor = (deliveryBudgetMs: number) => CLAIM_ROWS * deliveryBudgetMs + 10_000;

/**
 * The order outbox on Postgres, where every replica runs a relay: `due` claims the rows it returns (FOR
 * UPDATE SKIP LOCKED, their next attempt moved a claim on), so no other relay takes them until this one
 * has recorded an outcome.
 */
/** An outcome is recorded on a row still pending (the warehouse's status outbox says why). */
const pendingRow = (storeOrderId: string) => and(eq(orderOutbox.storeOrderId, storeOrderId), eq(orderOutbox.state, "pending"));

export function createPostgresOrderOutbox(
  db: PgDb,
  deliveryBudgetMs: number,
): OrderOutbox & {
  enqueue: (tx: PgTx, order: { storeOrderId: string; correlationId: string; now: Date }) => Promise<void>;
} {
  const claimMs = claimMsFor(deliveryBudgetMs);
  return {
    /** In the transaction that records the order (orders.repo.postgres.ts), as SQLite's enqueue. */
    async enqueue(tx, { storeOrderId, correlationId, now }) {
      await tx.insert(orderOutbox).values({
        storeOrderId,
        correlationId,
        traceContext: traceContextJson(),
        nextAttemptAt: firstRelayAttemptAt(now, deliveryBudgetMs),
        createdAt: now,
      });
    },

    async due(now, limit) {
      return db.transaction(async (tx): Promise<OutboxRow[]> => {
        const rows = await tx
          .select()
          .from(orderOutbox)
          .where(and(eq(orderOutbox.state, "pending"), lte(orderOutbox.nextAttemptAt, new Date(now))))
          .orderBy(asc(orderOutbox.id))
          .limit(Math.min(limit, CLAIM_ROWS))
          .for("update", { skipLocked: true });
        if (rows.length > 0)
          await tx
            .update(orderOutbox)
            .set({ nextAttemptAt: new Date(Math.max(now, Date.now()) + claimMs) })
            .where(
              inArray(
                orderOutbox.id,
                rows.map((row) => row.id),
              ),
            );
        return rows;
      });
    },

    async find(storeOrderId) {
      const [row] = await db.select().from(orderOutbox).where(eq(orderOutbox.storeOrderId, storeOrderId));
      return row;
    },

    async delivered(storeOrderId, at) {
      await db
        .update(orderOutbox)
        .set({ state: "delivered", attempts: sql`${orderOutbox.attempts} + 1`, deliveredAt: new Date(at), lastError: null })
        .where(pendingRow(storeOrderId));
    },

    async retryAt(storeOrderId, nextAttemptAt, lastError) {
      await db
        .update(orderOutbox)
        .set({ attempts: sql`${orderOutbox.attempts} + 1`, nextAttemptAt: new Date(nextAttemptAt), lastError })
        .where(pendingRow(storeOrderId));
    },

    async park(storeOrderId, lastError) {
      await db
        .update(orderOutbox)
        .set({ state: "parked", attempts: sql`${orderOutbox.attempts} + 1`, lastError })
        .where(pendingRow(storeOrderId));
    },

    async backlog() {
      const counts = { pending: 0, parked: 0 };
      const rows = await db
        .select({ state: orderOutbox.state, count: sql<number>`count(*)::int` })
        .from(orderOutbox)
        .where(inArray(orderOutbox.state, ["pending", "parked"]))
        .groupBy(orderOutbox.state);
      for (const { state, count } of rows) if (state !== "delivered") counts[state] = count;
      return counts;
    },
  };
}
