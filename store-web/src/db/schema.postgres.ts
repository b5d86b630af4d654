import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";

import { STATUS_SOURCES, STORE_ORDER_STATUSES } from "../orders/order-status";
import { OUTBOX_STATES } from "./schema";

// The Postgres twin of schema.ts (SQLite), used when STORE_DATABASE_URL is a postgres:// URL. Same tables,
// columns, defaults, keys and index names; the long explanations are schema.ts's. The row types
// ($inferSelect, $inferInsert) are the SQLite ones exactly, so the repositories can share their mapping
// code: schema.types.test.ts holds the two to that at typecheck time. Migrations: drizzle/postgres, whose
// second one seeds the same catalog as SQLite's drizzle/sqlite/0001_seed_catalog.sql.

/** SQLite's timestamp_ms as Postgres has it: a Date, to the millisecond. */
const timestampMs = () => timestamp({ withTimezone: true, precision: 3, mode: "date" });

/** The catalog. Prices live here, on the server: the browser only ever sends SKUs and quantities. */
export const products = pgTable("products", {
  sku: text().primaryKey(),
  name: text().notNull(),
  description: text().notNull(),
  priceCents: integer().notNull(),
  /** A CSS colour: the product's own, as its drawing (public/images/products/<sku>.svg) uses it. */
  swatch: text().notNull(),
  /** Inactive products stay for the orders that name them but can no longer be added to a cart. */
  active: boolean().notNull().default(true),
  /** Display order on the catalog page. */
  position: integer().notNull(),
});

/** One row per product in an anonymous customer's cart (the `fishtag_customer` cookie's id). */
export const cartItems = pgTable(
  "cart_items",
  {
    customerId: text().notNull(),
    sku: text()
      .notNull()
      .references(() => products.sku),
    quantity: integer().notNull(),
    addedAt: timestampMs().notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.sku] })],
);

export const orders = pgTable(
  "orders",
  {
    // The integer sequence behind the human order number (ST-000123). By default, not always: like
    // SQLite's AUTOINCREMENT, the database numbers the rows the code inserts, and a number is never reused.
    number: integer().primaryKey().generatedByDefaultAsIdentity(),
    /** A UUID, sent to the warehouse as `storeOrderId`; its status events name the order by it. */
    id: text().notNull().unique("orders_id_unique"),
    customerId: text().notNull(),
    status: text({ enum: STORE_ORDER_STATUSES }).notNull(),
    customerName: text().notNull(),
    customerEmail: text().notNull(),
    shippingLine1: text().notNull(),
    shippingLine2: text(),
    shippingCity: text().notNull(),
    shippingPostalCode: text().notNull(),
    shippingCountry: text().notNull(),
    /** The customer's purchase order reference. */
    reference: text().notNull(),
    // The money as charged (lib/pricing.ts), each figure VAT included (schema.ts).
    subtotalCents: integer().notNull().default(0),
    shippingCents: integer().notNull().default(0),
    vatCents: integer().notNull().default(0),
    totalCents: integer().notNull(),
    /** The checkout's correlation ID: the Reference the customer was shown. */
    correlationId: text().notNull(),
    /** The feature flags the checkout ran with, as the baggage entry writes them ("" for none). */
    flags: text().notNull().default(""),
    /** Known once the warehouse has answered the checkout (or a status event has named it). */
    warehouseOrderId: text(),
    /** The newest warehouse eventId applied to this order: an older event arriving late is ignored. */
    lastWarehouseEventId: integer(),
    createdAt: timestampMs().notNull(),
    updatedAt: timestampMs().notNull(),
  },
  // "This browser's orders, newest first" is a range of this index.
  (t) => [index("orders_customer_number_idx").on(t.customerId, t.number)],
);

/** Browsers other than the one that placed an order which may show it (orders/find-order.ts). */
export const orderViewers = pgTable(
  "order_viewers",
  {
    orderNumber: integer()
      .notNull()
      .references(() => orders.number, { onDelete: "cascade" }),
    customerId: text().notNull(),
    grantedAt: timestampMs().notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.orderNumber] })],
);

/** The lines as charged: name and price copied from the catalog at checkout. */
export const orderLines = pgTable(
  "order_lines",
  {
    orderNumber: integer()
      .notNull()
      .references(() => orders.number, { onDelete: "cascade" }),
    lineNo: integer().notNull(),
    sku: text().notNull(),
    name: text().notNull(),
    quantity: integer().notNull(),
    unitPriceCents: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderNumber, t.lineNo] })],
);

/** Every status an order has had, where it came from and the correlation ID of the request that caused it. */
export const orderStatusHistory = pgTable(
  "order_status_history",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    orderNumber: integer()
      .notNull()
      .references(() => orders.number, { onDelete: "cascade" }),
    status: text({ enum: STORE_ORDER_STATUSES }).notNull(),
    source: text({ enum: STATUS_SOURCES }).notNull(),
    correlationId: text().notNull(),
    /** Why, when the warehouse gave a reason (a cancellation): the customer is told it. */
    reason: text(),
    /** Set for rows from a warehouse status event; unique, so an event is applied at most once. */
    warehouseEventId: integer(),
    at: timestampMs().notNull(),
  },
  (t) => [
    index("order_status_history_order_idx").on(t.orderNumber, t.id),
    uniqueIndex("order_status_history_warehouse_event_id_unique").on(t.warehouseEventId),
  ],
);

/** The store's outbox (ADR 0007): one row per order to deliver to the warehouse (schema.ts says more). */
export const orderOutbox = pgTable(
  "order_outbox",
  {
    // Oldest first is ascending id.
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    storeOrderId: text()
      .notNull()
      .unique("order_outbox_store_order_id_unique")
      .references(() => orders.id, { onDelete: "cascade" }),
    /** The checkout's correlation ID: a late delivery runs under it, so one reference traces it all. */
    correlationId: text().notNull(),
    /** The checkout's trace (its W3C headers as JSON): a late delivery is a span of that trace. */
    traceContext: text(),
    state: text({ enum: OUTBOX_STATES }).notNull().default("pending"),
    /** Delivery attempts made, the checkout's own included. */
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestampMs().notNull(),
    lastError: text(),
    createdAt: timestampMs().notNull(),
    deliveredAt: timestampMs(),
  },
  // "What is due, oldest first" is a range of this index.
  (t) => [index("order_outbox_state_next_attempt_idx").on(t.state, t.nextAttemptAt)],
);

/**
 * The rate limits' counters (lib/limiter.ts: checkouts and guest order lookups), shared by every replica so
 * a client spreading its attempts across them is counted once. Postgres only: SQLite's store is one process,
 * whose memory sees every attempt (RateLimiterMemory). The layout is rate-limiter-flexible's own for
 * Postgres (RateLimiterPostgres's CREATE TABLE: key varchar(255), points integer, expire bigint in epoch ms,
 * in that order, since it inserts without naming the columns), which reads and writes it; declared here so
 * that a migration makes it. `expire` is read as a number: epoch ms are well within 2^53.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: varchar({ length: 255 }).primaryKey(),
    points: integer().notNull().default(0),
    expire: bigint({ mode: "number" }),
  },
  // The sweep (sweepRateLimits) deletes a range of this index.
  (t) => [index("rate_limits_expire_idx").on(t.expire)],
);

/**
 * The warehouse's tokens this store accepted on status events, by jti, until they can no longer be used
 * (warehouse/warehouse.server.ts): shared by every replica, so a token is good for one call at any of them.
 * Postgres only: on SQLite the one process remembers them in memory. Unlogged (its migration says so): the
 * rows live about a minute, and a crash forgetting them only reopens the window a restart always did.
 */
export const serviceTokenUses = pgTable(
  "service_token_uses",
  {
    jti: text().primaryKey(),
    forgetAfter: timestampMs().notNull(),
  },
  (t) => [index("service_token_uses_forget_after_idx").on(t.forgetAfter)],
);
