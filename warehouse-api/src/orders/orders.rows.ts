import { v7 as uuidv7 } from "uuid";

import type { orderEvents, orderLines, orders } from "../db/schema.js";
import type { NewOrderMeta } from "./orders.repo.js";
import { CreateAnswerSchema, type CreateAnswer, type CreateOrderInput, type Order, type OrderEvent } from "./orders.schemas.js";

// What both dialects' repositories share: the rows an order is stored as and read back from. The row
// types are SQLite's; Postgres's are the same (db/schema.types.test.ts).

export type OrderRow = typeof orders.$inferSelect;
export type LineRow = typeof orderLines.$inferSelect;
export type EventRow = typeof orderEvents.$inferSelect;

export function toOrder(row: OrderRow, lines: LineRow[]): Order {
  return {
    id: row.id,
    storeOrderId: row.storeOrderId,
    storeOrderNumber: row.storeOrderNumber,
    reference: row.reference,
    status: row.status,
    customer: { name: row.customerName, email: row.customerEmail },
    shippingAddress: {
      line1: row.shippingLine1,
      ...(row.shippingLine2 === null ? {} : { line2: row.shippingLine2 }),
      city: row.shippingCity,
      postalCode: row.shippingPostalCode,
      country: row.shippingCountry,
    },
    lines: lines.map(({ sku, name, quantity, unitPriceCents }) => ({ sku, name, quantity, unitPriceCents })),
    subtotalCents: row.subtotalCents,
    shippingCents: row.shippingCents,
    vatCents: row.vatCents,
    totalCents: row.totalCents,
    correlationId: row.correlationId,
    priority: row.priority,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toEvent(row: EventRow): OrderEvent {
  return { ...row, at: row.at.toISOString() };
}

/** Who did it and under which request: stamped on the event each change writes. */
/** The rows of a new order, as `createOnce` stores them. */
export function newOrder(input: CreateOrderInput, meta: NewOrderMeta): { row: OrderRow; lines: LineRow[] } {
  const now = new Date();
  const row: OrderRow = {
    id: uuidv7(),
    storeOrderId: input.storeOrderId,
    storeOrderNumber: input.storeOrderNumber,
    reference: input.reference,
    status: meta.status,
    customerName: input.customer.name,
    customerEmail: input.customer.email,
    shippingLine1: input.shippingAddress.line1,
    shippingLine2: input.shippingAddress.line2 ?? null,
    shippingCity: input.shippingAddress.city,
    shippingPostalCode: input.shippingAddress.postalCode,
    shippingCountry: input.shippingAddress.country,
    // As the store charged it: the schema has checked that the figures add up.
    subtotalCents: input.subtotalCents,
    shippingCents: input.shippingCents,
    vatCents: input.vatCents,
    totalCents: input.totalCents,
    correlationId: meta.correlationId,
    priority: meta.priority ?? false,
    createdAt: now,
    updatedAt: now,
  };
  const lines: LineRow[] = input.lines.map((line, index) => ({ orderId: row.id, lineNo: index + 1, ...line }));
  return { row, lines };
}

/**
 * The answer a key's row keeps, read back through the schema it was written from; undefined for one stored
 * before the schema changed (keys live 24 hours, a deploy may fall inside them): the caller makes it again
 * from the order as it is now, the same kind of answer, rather than failing every retry with a 500.
 */
export function parseStoredAnswer(row: { status: number; body: string }): CreateAnswer | undefined {
  const stored = CreateAnswerSchema.safeParse({ status: row.status, body: JSON.parse(row.body) as unknown });
  return stored.success ? stored.data : undefined;
}
