import { and, asc, eq, getTableColumns, lt, lte, notExists, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";

import type { Backlog } from "@fishtag/relay";
import { promised } from "@fishtag/service-kit/promised";

import type { Database, Db } from "../db/client.js";
import { orders, statusOutbox } from "../db/schema.js";
import { createPostgresStatusOutbox } from "./status-outbox.repo.postgres.js";

export type OutboxRow = typeof statusOutbox.$inferSelect;

/** A row to deliver, with whether its order is in the priority lane: the event goes back with that flag. */
export type DueRow = OutboxRow & { priority: boolean };

export type OutboxEntry = Pick<
  OutboxRow,
  "eventId" | "orderId" | "storeOrderId" | "status" | "reason" | "correlationId" | "at" | "traceContext"
>;

const p = sql.placeholder;

/** What the relay reads and records, the same in both dialects (ADR 0015). */
export type StatusOutbox = {
  /**
   * Up to `limit` rows due at `now` (epoch ms), oldest first, at most one per order: only an order's
   * oldest pending row is a candidate, so a later change never overtakes an earlier one.
   */
  due(now: number, limit: number): Promise<DueRow[]>;
  delivered(id: number, at: number): Promise<void>;
  retryAt(id: number, nextAttemptAt: number, lastError: string): Promise<void>;
  park(id: number, lastError: string): Promise<void>;
  /** Rows not delivered yet, rows parked for someone to look at, and when the oldest waiting one was written. */
  backlog(): Promise<Backlog>;
};

export function createStatusOutbox(database: Database): StatusOutbox {
  return database.dialect === "postgres" ? createPostgresStatusOutbox(database.db) : createSqliteStatusOutbox(database.db);
}

export function createSqliteStatusOutbox(db: Db) {
  const insert = db
    .insert(statusOutbox)
    .values({
      eventId: p("eventId"),
      orderId: p("orderId"),
      storeOrderId: p("storeOrderId"),
      status: p("status"),
      reason: p("reason"),
      correlationId: p("correlationId"),
      traceContext: p("traceContext"),
      at: p("at"),
      nextAttemptAt: p("at"),
    })
    .prepare();

  // Per-order order: only an order's oldest pending row is a candidate, so a later change never overtakes
  // an earlier one that is waiting out its backoff. A parked row does not hold the order up: the Store
  // ignores an event older than one it has seen (by eventId), so the later status is still the right one
  // to tell it, and one bad event must not freeze an order's updates for good.
  const earlier = alias(statusOutbox, "earlier");
  const dueHeads = db
    .select({ ...getTableColumns(statusOutbox), priority: orders.priority })
    .from(statusOutbox)
    .innerJoin(orders, eq(orders.id, statusOutbox.orderId))
    .where(
      and(
        eq(statusOutbox.state, "pending"),
        lte(statusOutbox.nextAttemptAt, sql`${p("now")}`),
        notExists(
          db
            .select({ one: sql`1` })
            .from(earlier)
            .where(and(eq(earlier.orderId, statusOutbox.orderId), eq(earlier.state, "pending"), lt(earlier.id, statusOutbox.id))),
        ),
      ),
    )
    .orderBy(asc(statusOutbox.id))
    .limit(p("limit"))
    .prepare();

  const markDelivered = db
    .update(statusOutbox)
    .set({ state: "delivered", attempts: sql`${statusOutbox.attempts} + 1`, deliveredAt: sql`${p("at")}` })
    .where(eq(statusOutbox.id, p("id")))
    .prepare();
  const reschedule = db
    .update(statusOutbox)
    .set({ attempts: sql`${statusOutbox.attempts} + 1`, nextAttemptAt: sql`${p("nextAttemptAt")}`, lastError: sql`${p("lastError")}` })
    .where(eq(statusOutbox.id, p("id")))
    .prepare();
  const park = db
    .update(statusOutbox)
    .set({ state: "parked", attempts: sql`${statusOutbox.attempts} + 1`, lastError: sql`${p("lastError")}` })
    .where(eq(statusOutbox.id, p("id")))
    .prepare();

  return {
    /**
     * Call inside the transaction that made the change: the row commits with it or not at all, and with
     * the trace of the request that made it (traceContextJson(), taken outside the transaction's span),
     * which its delivery continues.
     */
    enqueue(entry: OutboxEntry) {
      insert.run(entry);
    },
    // What the relay reads and records, outside any change's transaction.
    ...promised({
      due(now: number, limit: number): DueRow[] {
        return dueHeads.all({ now, limit });
      },
      delivered(id: number, at: number): void {
        markDelivered.run({ id, at });
      },
      retryAt(id: number, nextAttemptAt: number, lastError: string): void {
        reschedule.run({ id, nextAttemptAt, lastError });
      },
      park(id: number, lastError: string): void {
        park.run({ id, lastError });
      },
      backlog(): Backlog {
        const counts: Backlog = { pending: 0, parked: 0, oldestPendingAt: null };
        const rows = db
          .select({ state: statusOutbox.state, count: sql<number>`count(*)` })
          .from(statusOutbox)
          .where(sql`${statusOutbox.state} in ('pending', 'parked')`)
          .groupBy(statusOutbox.state)
          .all();
        for (const { state, count } of rows) if (state !== "delivered") counts[state] = count;
        // A range of the (state, next_attempt_at) index: the few waiting rows, not the delivered history.
        if (counts.pending > 0) {
          const oldest = db
            .select({ at: sql<number>`min(${statusOutbox.at})` })
            .from(statusOutbox)
            .where(eq(statusOutbox.state, "pending"))
            .get();
          counts.oldestPendingAt = oldest?.at ?? null;
        }
        return counts;
      },
    }),
  };
}
