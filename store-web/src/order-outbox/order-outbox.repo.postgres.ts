import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";

import { traceContextJson } from "@fishtag/tracing/spans";

import type { PgDb, PgTx } from "../db/client.server";
import { orderOutbox } from "../db/schema.postgres";
import { firstRelayAttemptAt, type OrderOutbox, type OutboxRow } from "./order-outbox.repo";

/**
 * How long a replica's relay holds the rows it took: longer than the warehouse client's whole budget for
 * one order (retries included) times a batch. A replica killed mid-delivery leaves its rows to another
 * once this has passed; the order's Idempotency-Key (its id) makes a second delivery a replay, not a second order.
 */
export const CLAIM_MS = 5 * 60_000;

/** Rows claimed at once, at most: ten deliveries, each within the client's budget, fit in a claim. */
export const CLAIM_ROWS = 10;

/**
 * The order outbox on Postgres, where every replica runs a relay: `due` claims the rows it returns (FOR
 * UPDATE SKIP LOCKED, their next attempt moved CLAIM_MS on), so no other relay takes them until this one
 * has recorded an outcome.
 */
/** An outcome is recorded on a row still pending (the warehouse's status outbox says why). */
const pendingRow = (storeOrderId: string) => and(eq(orderOutbox.storeOrderId, storeOrderId), eq(orderOutbox.state, "pending"));

export function createPostgresOrderOutbox(db: PgDb): OrderOutbox & {
  enqueue: (tx: PgTx, order: { storeOrderId: string; correlationId: string; now: Date }) => Promise<void>;
} {
  return {
    /** In the transaction that records the order (orders.repo.postgres.ts), as SQLite's enqueue. */
    async enqueue(tx, { storeOrderId, correlationId, now }) {
      await tx.insert(orderOutbox).values({
        storeOrderId,
        correlationId,
        traceContext: traceContextJson(),
        nextAttemptAt: firstRelayAttemptAt(now),
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
            .set({ nextAttemptAt: new Date(Math.max(now, Date.now()) + CLAIM_MS) })
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
