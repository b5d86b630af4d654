import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

import { ORDER_EVENT_TYPES, ORDER_STATUSES } from "../orders/lifecycle.js";
import { STAFF_ROLES } from "../staff/roles.js";

// The tables are the single source of truth: request and response schemas derive from them (see
// orders/orders.schemas.ts). The values a status or event-type column may hold are the domain's
// (orders/lifecycle.ts). Columns are snake_case in SQL through drizzle's `casing` option.

export const orders = sqliteTable(
  "orders",
  {
    // UUIDv7: time-ordered, so "newest first" is simply `ORDER BY id DESC` and the id is the keyset cursor.
    id: text().primaryKey(),
    storeOrderId: text().notNull(),
    reference: text().notNull(),
    status: text({ enum: ORDER_STATUSES }).notNull(),
    customerName: text().notNull(),
    customerEmail: text().notNull(),
    shippingLine1: text().notNull(),
    shippingLine2: text(),
    shippingCity: text().notNull(),
    shippingPostalCode: text().notNull(),
    shippingCountry: text().notNull(),
    /** The store's own number for the order (ST-000123): the one its customer quotes. Null on orders from before the store sent it. */
    storeOrderNumber: text(),
    // The money as the store charged it, VAT included in every figure: the lines' subtotal, shipping,
    // the VAT within the total, and the total (subtotal + shipping). The store's pricing rule, not ours.
    subtotalCents: integer().notNull().default(0),
    shippingCents: integer().notNull().default(0),
    vatCents: integer().notNull().default(0),
    totalCents: integer().notNull(),
    // The ID of the request that created the order: the fish tag, kept with the data it explains.
    correlationId: text().notNull(),
    /** Placed with the priority-lane flag in the call's baggage (README, "Feature flags"): packed first. */
    priority: integer({ mode: "boolean" }).notNull().default(false),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  // The list is always newest first (id DESC): each index ends in id so a filtered page is an index range.
  // The search's keys (orders.repo.ts `list`) each have one; the correlation IDs are the trail's
  // (order_events), which holds the order's own as its first event.
  (t) => [
    index("orders_status_id_idx").on(t.status, t.id),
    // The received tab lists priority orders first (orders.repo.ts `list`): one range per page of it too.
    index("orders_status_priority_id_idx").on(t.status, t.priority, t.id),
    // One order per store order, whatever Idempotency-Key it came with (orders.repo.ts refuses a second).
    uniqueIndex("orders_store_order_id_unique").on(t.storeOrderId),
    // PO numbers are found in any case: the index holds them as the search compares them, lower().
    index("orders_reference_lower_idx").on(sql`lower(${t.reference})`, t.id),
    index("orders_customer_email_idx").on(t.customerEmail, t.id),
    index("orders_store_order_number_idx").on(t.storeOrderNumber, t.id),
  ],
);

export const orderLines = sqliteTable(
  "order_lines",
  {
    orderId: text()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    lineNo: integer().notNull(),
    sku: text().notNull(),
    name: text().notNull(),
    quantity: integer().notNull(),
    unitPriceCents: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.lineNo] })],
);

/** The audit trail: one row per creation, rejection and status change, written with the change itself. */
export const orderEvents = sqliteTable(
  "order_events",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    orderId: text()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    type: text({ enum: ORDER_EVENT_TYPES }).notNull(),
    fromStatus: text({ enum: ORDER_STATUSES }),
    toStatus: text({ enum: ORDER_STATUSES }).notNull(),
    /** "store" for orders the Store placed, a staff member's email for their actions. */
    actor: text().notNull(),
    reason: text(),
    correlationId: text().notNull(),
    at: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("order_events_order_id_idx").on(t.orderId, t.id),
    // The search by any step's correlation ID: one range per ID, ordered by order id, newest order first.
    index("order_events_correlation_id_idx").on(t.correlationId, t.orderId),
  ],
);

export const OUTBOX_STATES = ["pending", "delivered", "parked"] as const;

/**
 * Status changes waiting to be told to the Store: written in the same transaction as the change, sent by
 * the relay (status-events/relay.ts). A row is the transactional outbox: the change and the promise to
 * announce it commit together or not at all.
 *
 * Delivered rows are kept, not deleted: one small row per status change (order_events keeps as many), and
 * they answer "did the Store hear about it, and when" for an order. Parked rows (the Store refused them
 * with a 4xx) wait for a person; once the cause is fixed, setting state back to 'pending' resends them.
 */
export const statusOutbox = sqliteTable(
  "status_outbox",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** The eventId the Store receives: it dedups on it and ignores an event older than one it has seen. */
    eventId: integer()
      .notNull()
      .unique("status_outbox_event_id_unique")
      .references(() => orderEvents.id, { onDelete: "cascade" }),
    orderId: text()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    storeOrderId: text().notNull(),
    status: text({ enum: ORDER_STATUSES }).notNull(),
    /** Why, when a status needs one (a cancellation): the customer is told it. */
    reason: text(),
    /** The staff action's correlation ID: sent as X-Correlation-Id and on every log line of the delivery. */
    correlationId: text().notNull(),
    /** The staff action's trace (its W3C headers as JSON): the delivery, and the Store's handling, are spans of it. */
    traceContext: text(),
    at: integer({ mode: "timestamp_ms" }).notNull(),
    state: text({ enum: OUTBOX_STATES }).notNull().default("pending"),
    /** Failed attempts so far; with next_attempt_at, the backoff survives a restart. */
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer({ mode: "timestamp_ms" }).notNull(),
    /** The last failure: an HTTP status with a bounded excerpt of the answer, or a network error code. */
    lastError: text(),
    deliveredAt: integer({ mode: "timestamp_ms" }),
  },
  (t) => [
    // Due pending rows, oldest first: a range on (state, next_attempt_at), then a sort of the due few.
    index("status_outbox_state_next_attempt_idx").on(t.state, t.nextAttemptAt),
    // "Does this order have an earlier pending row?": one index probe per candidate.
    index("status_outbox_order_state_id_idx").on(t.orderId, t.state, t.id),
  ],
);

/**
 * Orders per status, kept in step with `orders` inside the same transactions: the dashboard's tab
 * counts stay one indexed read however many orders there are (a GROUP BY would scan them all).
 */
export const orderStatusCounts = sqliteTable("order_status_counts", {
  status: text({ enum: ORDER_STATUSES }).primaryKey(),
  count: integer().notNull(),
});

/** Warehouse staff who sign in to the dashboard. */
export const staffUsers = sqliteTable("staff_users", {
  id: text().primaryKey(),
  /** Stored lower-case: sign-in ignores the case of the email. */
  email: text().notNull().unique(),
  name: text().notNull(),
  /** scrypt, self-describing: `scrypt$N$r$p$salt$hash` (see staff/password.ts). Never logged. */
  passwordHash: text().notNull(),
  /** What the account may do (staff/roles.ts). Accounts from before roles existed became admins (migration 0010). */
  role: text({ enum: STAFF_ROLES }).notNull().default("staff"),
  /** Set when an admin disables the account: it cannot sign in, and its sessions were ended then. */
  disabledAt: integer({ mode: "timestamp_ms" }),
  createdAt: integer({ mode: "timestamp_ms" }).notNull(),
});

/**
 * Signed-in sessions. The cookie holds a random token; only its SHA-256 is stored, so a copy of the
 * database does not hand out live sessions.
 */
export const staffSessions = sqliteTable(
  "staff_sessions",
  {
    tokenHash: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    /** Sent back by the dashboard in X-CSRF-Token on every state-changing request. */
    csrfToken: text().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    expiresAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("staff_sessions_expires_at_idx").on(t.expiresAt)],
);

/**
 * The sign-in throttle's counters (staff/sign-in-throttle.ts): one row per limit and key, e.g.
 * "client:<address>", with the points used in its window and when the window ends (epoch ms). The
 * layout is rate-limiter-flexible's own for SQLite, which reads and writes it; it is declared here so
 * that a migration makes it, like every other table. In the database, so a restart does not reset the
 * throttle; swept hourly once a window has passed.
 */
export const signInThrottle = sqliteTable(
  "sign_in_throttle",
  {
    key: text().primaryKey(),
    points: integer().notNull().default(0),
    expire: integer(),
  },
  (t) => [index("sign_in_throttle_expire_idx").on(t.expire)],
);

/**
 * Answers to order creations, by the caller's Idempotency-Key (see orders/idempotency.ts): a retry with the
 * same key gets the stored answer instead of a second order. Written in the transaction that creates the
 * order, so an order never exists without its key. Kept 24 hours, then swept (IDEMPOTENCY_KEY_TTL_MS says
 * why that long).
 *
 * Keys are not scoped by caller because only the Store may create orders: its per-call Ed25519 token is
 * checked before the key is looked at. A second service allowed to would need its keys scoped by issuer.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    key: text().primaryKey(),
    /** SHA-256 of the validated request body as canonical JSON: the same key with another body is refused. */
    fingerprint: text().notNull(),
    orderId: text()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    /** The answer as first sent: 201 with the order, or 422 with the rejection. */
    status: integer().notNull(),
    body: text().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("idempotency_keys_created_at_idx").on(t.createdAt)],
);
