import { and, asc, eq, lte, sql } from "drizzle-orm";

import type { Backoff } from "@fishtag/relay";
import { promised } from "@fishtag/service-kit/promised";
import { traceContextJson } from "@fishtag/tracing/spans";

import type { Db, Tx } from "../db/client.server";
import { orderOutbox } from "../db/schema";

export type OutboxRow = typeof orderOutbox.$inferSelect;

/**
 * How long a new row is left to the checkout that wrote it before the relay may take it: the checkout
 * sends the order at once and records the outcome; only a process that died in between leaves the row
 * to the relay. Twice the client's whole budget for one delivery (`deliveryBudgetMs`, WAREHOUSE_TIMEOUT_MS,
 * retries included) and 10 s, 20 s by default: the relay does not race a checkout still waiting for its
 * answer (were it to, the order's Idempotency-Key makes the second send a replay), and an order whose
 * checkout died goes soon after.
 */
export const checkoutLeaseMsFor = (deliveryBudgetMs: number) => 2 * deliveryBudgetMs + 10_000;

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, capMs: 60_000 };

const p = sql.placeholder;

/** The outbox as the relay and the checkout's delivery use it, the same in both dialects (ADR 0015). */
export type OrderOutbox = Omit<SqliteOrderOutbox, "enqueue">;
export type SqliteOrderOutbox = ReturnType<typeof createOrderOutbox>;

/** A new row's first attempt is the checkout's own: the relay leaves it alone until then. */
export const firstRelayAttemptAt = (now: Date, deliveryBudgetMs: number) => new Date(now.getTime() + checkoutLeaseMsFor(deliveryBudgetMs));

/**
 * The outbox owns its rows: orders.repo.ts hands it each new order inside the order's transaction.
 * `deliveryBudgetMs` (WAREHOUSE_TIMEOUT_MS) bounds one delivery, and so the checkout's lease on its row.
 */
export function createOrderOutbox(db: Db, deliveryBudgetMs: number) {
  const insert = db
    .insert(orderOutbox)
    .values({
      storeOrderId: p("storeOrderId"),
      correlationId: p("correlationId"),
      traceContext: p("traceContext"),
      nextAttemptAt: p("nextAttemptAt"),
      createdAt: p("now"),
    })
    .prepare();
  const due = db
    .select()
    .from(orderOutbox)
    .where(and(eq(orderOutbox.state, "pending"), lte(orderOutbox.nextAttemptAt, sql`${p("now")}`)))
    .orderBy(asc(orderOutbox.id))
    .limit(p("limit"))
    .prepare();
  const byStoreOrderId = db
    .select()
    .from(orderOutbox)
    .where(eq(orderOutbox.storeOrderId, p("storeOrderId")))
    .prepare();
  const markDelivered = db
    .update(orderOutbox)
    .set({ state: "delivered", attempts: sql`${orderOutbox.attempts} + 1`, deliveredAt: sql`${p("at")}`, lastError: null })
    .where(eq(orderOutbox.storeOrderId, p("storeOrderId")))
    .prepare();
  const reschedule = db
    .update(orderOutbox)
    .set({ attempts: sql`${orderOutbox.attempts} + 1`, nextAttemptAt: sql`${p("nextAttemptAt")}`, lastError: sql`${p("lastError")}` })
    .where(eq(orderOutbox.storeOrderId, p("storeOrderId")))
    .prepare();
  const park = db
    .update(orderOutbox)
    .set({ state: "parked", attempts: sql`${orderOutbox.attempts} + 1`, lastError: sql`${p("lastError")}` })
    .where(eq(orderOutbox.storeOrderId, p("storeOrderId")))
    .prepare();

  return {
    /**
     * Queues an order for delivery, in the transaction that records it: the order and the promise to
     * deliver it commit together. Its first attempt is the checkout's own, so the relay leaves the row
     * alone for the checkout's lease. The checkout's trace goes with it: a later delivery continues it.
     */
    enqueue(_tx: Tx, { storeOrderId, correlationId, now }: { storeOrderId: string; correlationId: string; now: Date }) {
      // Prepared on the connection, so it runs in whatever transaction the connection is in: the caller's `tx`.
      insert.run({
        storeOrderId,
        correlationId,
        traceContext: traceContextJson(),
        nextAttemptAt: firstRelayAttemptAt(now, deliveryBudgetMs),
        now,
      });
    },
    // What the relay and the checkout's delivery read and record, outside the order's transaction.
    ...promised({
      /** Up to `limit` pending rows due at `now` (epoch ms), oldest first. */
      due(now: number, limit: number): OutboxRow[] {
        return due.all({ now, limit });
      },
      find(storeOrderId: string): OutboxRow | undefined {
        return byStoreOrderId.get({ storeOrderId });
      },
      delivered(storeOrderId: string, at: number) {
        markDelivered.run({ storeOrderId, at });
      },
      retryAt(storeOrderId: string, nextAttemptAt: number, lastError: string) {
        reschedule.run({ storeOrderId, nextAttemptAt, lastError });
      },
      park(storeOrderId: string, lastError: string) {
        park.run({ storeOrderId, lastError });
      },
      /** Rows not delivered yet, and rows parked for someone to look at. */
      backlog(): { pending: number; parked: number } {
        const counts = { pending: 0, parked: 0 };
        const rows = db
          .select({ state: orderOutbox.state, count: sql<number>`count(*)` })
          .from(orderOutbox)
          .where(sql`${orderOutbox.state} in ('pending', 'parked')`)
          .groupBy(orderOutbox.state)
          .all();
        for (const { state, count } of rows) if (state !== "delivered") counts[state] = count;
        return counts;
      },
    }),
  };
}
