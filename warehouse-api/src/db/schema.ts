import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// The tables are the single source of truth: request and response schemas derive from them
// (see orders/orders.schemas.ts). Columns are snake_case in SQL through drizzle's `casing` option.

export const ORDER_STATUSES = ["received", "rejected"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

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
    totalCents: integer().notNull(),
    // The ID of the request that created the order: the fish tag, kept with the data it explains.
    correlationId: text().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("orders_status_id_idx").on(t.status, t.id), index("orders_store_order_id_idx").on(t.storeOrderId)],
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
