import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// The domain before its storage: the statuses are the orders module's, and the tables store them.
import { STATUS_SOURCES, STORE_ORDER_STATUSES } from "../orders/order-status";

// The store's own data: its catalog, its customers' carts and the orders placed here. The warehouse
// keeps its own copy of an order; the two are tied by `orders.id` (sent as `storeOrderId`) and the
// warehouse's order id, and kept in step by the warehouse's status events. Columns are snake_case in
// SQL through drizzle's `casing` option.

/** The catalog. Prices live here, on the server: the browser only ever sends SKUs and quantities. */
export const products = sqliteTable("products", {
  sku: text().primaryKey(),
  name: text().notNull(),
  description: text().notNull(),
  priceCents: integer().notNull(),
  /** A CSS colour: the product's own, as its drawing (public/images/products/<sku>.svg) uses it. */
  swatch: text().notNull(),
  /** Inactive products stay for the orders that name them but can no longer be added to a cart. */
  active: integer({ mode: "boolean" }).notNull().default(true),
  /** Display order on the catalog page. */
  position: integer().notNull(),
});

/**
 * One row per product in an anonymous customer's cart. The customer is the random id in the
 * `fishtag_customer` cookie; an empty cart is simply no rows.
 */
export const cartItems = sqliteTable(
  "cart_items",
  {
    customerId: text().notNull(),
    sku: text()
      .notNull()
      .references(() => products.sku),
    quantity: integer().notNull(),
    addedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.sku] })],
);

export const orders = sqliteTable(
  "orders",
  {
    // The integer sequence behind the human order number (ST-000123). AUTOINCREMENT: never reused, even
    // after the newest order is deleted.
    number: integer().primaryKey({ autoIncrement: true }),
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
    // The money as charged (lib/pricing.ts), each figure VAT included: the lines' subtotal, shipping, the
    // VAT within the total, and the total (subtotal + shipping). Sent to the warehouse as they are.
    subtotalCents: integer().notNull().default(0),
    shippingCents: integer().notNull().default(0),
    vatCents: integer().notNull().default(0),
    totalCents: integer().notNull(),
    /** The checkout's correlation ID: the Reference the customer was shown. */
    correlationId: text().notNull(),
    /**
     * The feature flags the checkout ran with, as the baggage entry writes them ("priority-lane", "" for
     * none): every delivery of the order sends them, and the order's page keeps the promise they make.
     */
    flags: text().notNull().default(""),
    /** Known once the warehouse has answered the checkout (or a status event has named it). */
    warehouseOrderId: text(),
    /** The newest warehouse eventId applied to this order: an older event arriving late is ignored. */
    lastWarehouseEventId: integer(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  // "This browser's orders, newest first" is a range of this index.
  (t) => [index("orders_customer_number_idx").on(t.customerId, t.number)],
);

/**
 * Browsers other than the one that placed an order which may show it: a customer who looked it up by
 * email and order number on another device (orders/find-order.ts). Rows, not a cookie, so the order then
 * also appears in that browser's order list.
 */
export const orderViewers = sqliteTable(
  "order_viewers",
  {
    orderNumber: integer()
      .notNull()
      .references(() => orders.number, { onDelete: "cascade" }),
    customerId: text().notNull(),
    grantedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.orderNumber] })],
);

/** The lines as charged: name and price copied from the catalog at checkout, so later price changes do not rewrite them. */
export const orderLines = sqliteTable(
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
export const orderStatusHistory = sqliteTable(
  "order_status_history",
  {
    id: integer().primaryKey({ autoIncrement: true }),
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
    at: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("order_status_history_order_idx").on(t.orderNumber, t.id),
    uniqueIndex("order_status_history_warehouse_event_id_unique").on(t.warehouseEventId),
  ],
);

export const OUTBOX_STATES = ["pending", "delivered", "parked"] as const;

/**
 * The store's outbox (ADR 0007): one row per order to deliver to the warehouse, written in the checkout's
 * transaction with the order itself (order-outbox.repo.ts `enqueue`), so an accepted order is never lost.
 * The state is here, not in memory: any later process's relay picks up what is pending.
 */
export const orderOutbox = sqliteTable(
  "order_outbox",
  {
    // Oldest first is ascending id.
    id: integer().primaryKey({ autoIncrement: true }),
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
    nextAttemptAt: integer({ mode: "timestamp_ms" }).notNull(),
    lastError: text(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    deliveredAt: integer({ mode: "timestamp_ms" }),
  },
  // "What is due, oldest first" is a range of this index.
  (t) => [index("order_outbox_state_next_attempt_idx").on(t.state, t.nextAttemptAt)],
);
