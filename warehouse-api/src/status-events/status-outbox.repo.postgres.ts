import { and, asc, eq, getTableColumns, inArray, lt, lte, notExists, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";

import type { Backlog } from "@fishtag/relay";

import type { PgDb, PgTx } from "../db/client.js";
import { orders, statusOutbox } from "../db/schema.postgres.js";
import type { DueRow, OutboxEntry, StatusOutbox } from "./status-outbox.repo.js";

/**
 * How long a replica holds the rows it took: longer than a delivery can take (its 5 s timeout, for each
 * row of a batch). A replica killed mid-delivery leaves its rows to another once this has passed, so a
 * row may be sent twice then, never lost: the Store dedups on eventId.
 */
export const CLAIM_MS = 60_000;

/**
 * Rows claimed at once, at most: the relay sends them one after another, each within its 5 s timeout, so
 * ten fit in a claim; it asks again for the rest of its batch.
 */
export const CLAIM_ROWS = 10;

/**
 * The status outbox on Postgres, where several replicas run a relay each. `due` claims the rows it
 * returns: under FOR UPDATE SKIP LOCKED, the rows no other relay is reading now, and it moves their next
 * attempt CLAIM_MS on, so no other relay takes them until this one has recorded an outcome. An order's
 * later row waits behind a claimed one (it is still pending), so each order's events still go in order.
 */
/**
 * An outcome is recorded on a row still pending: a replica whose claim ran out and whose row another
 * replica has delivered since does not park or reschedule it after the fact.
 */
const pendingRow = (id: number) => and(eq(statusOutbox.id, id), eq(statusOutbox.state, "pending"));

export function createPostgresStatusOutbox(db: PgDb): StatusOutbox & { enqueue: (tx: PgTx, entry: OutboxEntry) => Promise<void> } {
  const earlier = alias(statusOutbox, "earlier");

  return {
    /** Call inside the transaction that made the change: the row commits with it or not at all. */
    async enqueue(tx, entry) {
      await tx.insert(statusOutbox).values({ ...entry, nextAttemptAt: entry.at });
    },

    async due(now, limit) {
      return db.transaction(async (tx): Promise<DueRow[]> => {
        const heads = await tx
          .select({ id: statusOutbox.id })
          .from(statusOutbox)
          .where(
            and(
              eq(statusOutbox.state, "pending"),
              lte(statusOutbox.nextAttemptAt, new Date(now)),
              notExists(
                tx
                  .select({ one: sql`1` })
                  .from(earlier)
                  .where(and(eq(earlier.orderId, statusOutbox.orderId), eq(earlier.state, "pending"), lt(earlier.id, statusOutbox.id))),
              ),
            ),
          )
          .orderBy(asc(statusOutbox.id))
          .limit(Math.min(limit, CLAIM_ROWS))
          .for("update", { skipLocked: true });
        if (heads.length === 0) return [];
        const ids = heads.map((head) => head.id);
        // From when the rows are taken (the relay's `now` is its tick's start, which may be seconds ago).
        await tx
          .update(statusOutbox)
          .set({ nextAttemptAt: new Date(Math.max(now, Date.now()) + CLAIM_MS) })
          .where(inArray(statusOutbox.id, ids));
        // Read back as they were due (the claim is this relay's business, not the row's).
        const rows = await tx
          .select({ ...getTableColumns(statusOutbox), priority: orders.priority })
          .from(statusOutbox)
          .innerJoin(orders, eq(orders.id, statusOutbox.orderId))
          .where(inArray(statusOutbox.id, ids))
          .orderBy(asc(statusOutbox.id));
        return rows.map((row) => ({ ...row, nextAttemptAt: new Date(now) }));
      });
    },

    async delivered(id, at) {
      await db
        .update(statusOutbox)
        .set({ state: "delivered", attempts: sql`${statusOutbox.attempts} + 1`, deliveredAt: new Date(at) })
        .where(pendingRow(id));
    },

    async retryAt(id, nextAttemptAt, lastError) {
      await db
        .update(statusOutbox)
        .set({ attempts: sql`${statusOutbox.attempts} + 1`, nextAttemptAt: new Date(nextAttemptAt), lastError })
        .where(pendingRow(id));
    },

    async park(id, lastError) {
      await db
        .update(statusOutbox)
        .set({ state: "parked", attempts: sql`${statusOutbox.attempts} + 1`, lastError })
        .where(pendingRow(id));
    },

    async backlog() {
      const counts: Backlog = { pending: 0, parked: 0, oldestPendingAt: null };
      const rows = await db
        .select({ state: statusOutbox.state, count: sql<number>`count(*)::int` })
        .from(statusOutbox)
        .where(inArray(statusOutbox.state, ["pending", "parked"]))
        .groupBy(statusOutbox.state);
      for (const { state, count } of rows) if (state !== "delivered") counts[state] = count;
      if (counts.pending > 0) {
        const [oldest] = await db
          .select({ at: sql<Date | null>`min(${statusOutbox.at})`.mapWith(statusOutbox.at) })
          .from(statusOutbox)
          .where(eq(statusOutbox.state, "pending"));
        counts.oldestPendingAt = oldest?.at ? oldest.at.getTime() : null;
      }
      return counts;
    },
  };
}
