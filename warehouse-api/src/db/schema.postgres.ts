import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";

import { ORDER_EVENT_TYPES, ORDER_STATUSES } from "../orders/lifecycle.js";
import { STAFF_ROLES } from "../staff/roles.js";
import { OUTBOX_STATES } from "./schema.js";

// The Postgres twin of schema.ts (SQLite), used when WAREHOUSE_DATABASE_URL is a postgres:// URL. Same
// tables, columns, defaults, keys and index names; the long explanations are schema.ts's. The row types
// ($inferSelect, $inferInsert) are the SQLite ones exactly, so the repositories share their mapping code:
// schema.types.test.ts holds the two to that at typecheck time. Migrations: drizzle/postgres.
//
// Ids that are UUIDv7 stay `text`, not `uuid`: the dashboard's search compares the id column with any
// string staff paste, and a `uuid` column raises an error for a string that is not a UUID.

/** SQLite's timestamp_ms as Postgres has it: a Date, to the millisecond. */
const timestampMs = () => timestamp({ withTimezone: true, precision: 3, mode: "date" });

/** The orders the Store placed (schema.ts explains the columns and indexes). */
export const orders = pgTable(
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
    // The money as the store charged it, VAT included in every figure (schema.ts).
    subtotalCents: integer().notNull().default(0),
    shippingCents: integer().notNull().default(0),
    vatCents: integer().notNull().default(0),
    totalCents: integer().notNull(),
    // The ID of the request that created the order: the fish tag, kept with the data it explains.
    correlationId: text().notNull(),
    /** Placed with the priority-lane flag in the call's baggage (README, "Feature flags"): packed first. */
    priority: boolean().notNull().default(false),
    createdAt: timestampMs().notNull(),
    updatedAt: timestampMs().notNull(),
  },
  // The list is always newest first (id DESC): each index ends in id so a filtered page is an index range.
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

/** An order's lines, numbered within it. */
export const orderLines = pgTable(
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
export const orderEvents = pgTable(
  "order_events",
  {
    // By default, not always: like SQLite's autoincrement, the database numbers the rows the code inserts.
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
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
    at: timestampMs().notNull(),
  },
  (t) => [
    index("order_events_order_id_idx").on(t.orderId, t.id),
    // The search by any step's correlation ID: one range per ID, ordered by order id, newest order first.
    index("order_events_correlation_id_idx").on(t.correlationId, t.orderId),
  ],
);

/**
 * Status changes waiting to be told to the Store: the transactional outbox, written in the same
 * transaction as the change and sent by the relay (status-events/relay.ts). Delivered rows are kept,
 * parked ones wait for a person (schema.ts says why).
 */
export const statusOutbox = pgTable(
  "status_outbox",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
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
    at: timestampMs().notNull(),
    state: text({ enum: OUTBOX_STATES }).notNull().default("pending"),
    /** Failed attempts so far; with next_attempt_at, the backoff survives a restart. */
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestampMs().notNull(),
    /** The last failure: an HTTP status with a bounded excerpt of the answer, or a network error code. */
    lastError: text(),
    deliveredAt: timestampMs(),
  },
  (t) => [
    // Due pending rows, oldest first: a range on (state, next_attempt_at), then a sort of the due few.
    index("status_outbox_state_next_attempt_idx").on(t.state, t.nextAttemptAt),
    // "Does this order have an earlier pending row?": one index probe per candidate.
    index("status_outbox_order_state_id_idx").on(t.orderId, t.state, t.id),
  ],
);

/** Orders per status, kept in step with `orders` in the same transactions: the tab counts are one indexed read. */
export const orderStatusCounts = pgTable("order_status_counts", {
  status: text({ enum: ORDER_STATUSES }).primaryKey(),
  count: integer().notNull(),
});

/** Warehouse staff who sign in to the dashboard. */
export const staffUsers = pgTable("staff_users", {
  id: text().primaryKey(),
  /** Stored lower-case: sign-in ignores the case of the email. */
  email: text().notNull().unique(),
  name: text().notNull(),
  /** scrypt, self-describing: `scrypt$N$r$p$salt$hash` (see staff/password.ts). Never logged. */
  passwordHash: text().notNull(),
  /** What the account may do (staff/roles.ts). */
  role: text({ enum: STAFF_ROLES }).notNull().default("staff"),
  /** Set when an admin disables the account: it cannot sign in, and its sessions were ended then. */
  disabledAt: timestampMs(),
  createdAt: timestampMs().notNull(),
});

/** Signed-in sessions: the cookie holds a random token, only its SHA-256 is stored (a copy of the database hands out none). */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    tokenHash: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    /** Sent back by the dashboard in X-CSRF-Token on every state-changing request. */
    csrfToken: text().notNull(),
    createdAt: timestampMs().notNull(),
    expiresAt: timestampMs().notNull(),
  },
  (t) => [index("staff_sessions_expires_at_idx").on(t.expiresAt)],
);

/**
 * The sign-in throttle's counters (staff/sign-in-throttle.ts), in the database so a restart does not reset
 * the throttle. The layout is rate-limiter-flexible's own for Postgres (RateLimiterPostgres's CREATE TABLE:
 * key varchar(255), points integer, expire bigint in epoch ms), which reads and writes it; declared here so
 * that a migration makes it. `expire` is read as a number: epoch ms are well within 2^53.
 */
export const signInThrottle = pgTable(
  "sign_in_throttle",
  {
    key: varchar({ length: 255 }).primaryKey(),
    points: integer().notNull().default(0),
    expire: bigint({ mode: "number" }),
  },
  (t) => [index("sign_in_throttle_expire_idx").on(t.expire)],
);

/** Answers to order creations by the caller's Idempotency-Key (orders/idempotency.ts): a retry gets the stored answer. */
export const idempotencyKeys = pgTable(
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
    createdAt: timestampMs().notNull(),
  },
  (t) => [index("idempotency_keys_created_at_idx").on(t.createdAt)],
);

/**
 * The service tokens this warehouse accepted, by jti, until they can no longer be used
 * (middleware/require-store.ts): shared by every replica, so a token the Store signed is good for one call
 * at any of them. Postgres only: on SQLite the one process remembers them in memory. Unlogged (its
 * migration says so): the rows live about a minute, and a crash forgetting them only reopens the window
 * a restart of one process always did.
 */
export const serviceTokenUses = pgTable(
  "service_token_uses",
  {
    jti: text().primaryKey(),
    forgetAfter: timestampMs().notNull(),
  },
  (t) => [index("service_token_uses_forget_after_idx").on(t.forgetAfter)],
);
