import { z } from "@hono/zod-openapi";
import { createInsertSchema, createSelectSchema } from "drizzle-zod";

import { orderEvents, orderLines, orders } from "../db/schema.js";
import { HTTP } from "../lib/http-status.js";
import { ISO_COUNTRY_CODES } from "../lib/iso-countries.js";
import { ORDER_STATUSES, REASON_REQUIRED } from "./lifecycle.js";

// Field rules derive from the tables (drizzle-zod) plus the bounds the API promises; the request and
// response shapes below are assembled from these fields, so a column change shows up here as a type error.

const text = (max: number) => z.string().min(1).max(max);

const cents = z.int().min(0).max(100_000_000);

const orderFields = createInsertSchema(orders, {
  storeOrderId: text(64),
  reference: text(64),
  customerName: text(200),
  // Stored lower-case so that staff find an order by email however the customer typed it.
  customerEmail: z.email().max(254).toLowerCase(),
  shippingLine1: text(200),
  shippingLine2: z.string().max(200),
  shippingCity: text(100),
  shippingPostalCode: text(20),
  shippingCountry: z
    .string()
    .length(2)
    .refine((code) => ISO_COUNTRY_CODES.has(code), "must be an ISO 3166-1 alpha-2 country code, upper case"),
}).shape;

const lineFields = createInsertSchema(orderLines, {
  sku: text(64),
  name: text(200),
  quantity: z.int().min(1).max(999),
  unitPriceCents: z.int().min(0).max(100_000_000),
}).shape;

export const OrderLineSchema = z
  .object({
    sku: lineFields.sku,
    name: lineFields.name,
    quantity: lineFields.quantity,
    unitPriceCents: lineFields.unitPriceCents,
  })
  .openapi("OrderLine");

const CustomerSchema = z.object({ name: orderFields.customerName, email: orderFields.customerEmail });

const ShippingAddressSchema = z.object({
  line1: orderFields.shippingLine1,
  line2: orderFields.shippingLine2.optional(),
  city: orderFields.shippingCity,
  postalCode: orderFields.shippingPostalCode,
  country: orderFields.shippingCountry,
});

/**
 * The money as the store charged it. Every figure includes VAT; the pricing rule is the store's. (Required
 * here, where the table gives defaults to the columns for orders from before the store sent them.)
 */
const MoneyFields = {
  subtotalCents: cents.openapi({ description: "The lines' total: Σ quantity × unitPriceCents." }),
  shippingCents: cents,
  vatCents: cents.openapi({ description: "The VAT included in totalCents." }),
  totalCents: cents.openapi({ description: "subtotalCents + shippingCents." }),
};

export const CreateOrderSchema = z
  .object({
    storeOrderId: orderFields.storeOrderId,
    storeOrderNumber: text(32).openapi({
      description: "The store's own number for the order, the one its customer quotes.",
      example: "ST-000123",
    }),
    reference: orderFields.reference.openapi({
      description: "The customer's PO number. One starting with the reject prefix (default F) is rejected.",
      example: "PO-1001",
    }),
    customer: CustomerSchema,
    shippingAddress: ShippingAddressSchema,
    lines: z.array(OrderLineSchema).min(1).max(50),
    ...MoneyFields,
  })
  // The figures must add up: the warehouse keeps what the store charged, and will not keep a sum that is wrong.
  .superRefine((order, ctx) => {
    const lines = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
    if (order.subtotalCents !== lines) ctx.addIssue({ code: "custom", path: ["subtotalCents"], message: "must be the lines' total" });
    if (order.totalCents !== order.subtotalCents + order.shippingCents) {
      ctx.addIssue({ code: "custom", path: ["totalCents"], message: "must be subtotalCents + shippingCents" });
    }
    if (order.vatCents > order.totalCents) ctx.addIssue({ code: "custom", path: ["vatCents"], message: "must not exceed totalCents" });
  })
  .openapi("CreateOrder");

export type CreateOrderInput = z.infer<typeof CreateOrderSchema>;

const statusField = createSelectSchema(orders).shape.status;

export const OrderSchema = z
  .object({
    id: z.uuid(),
    storeOrderId: z.string(),
    storeOrderNumber: z
      .string()
      .nullable()
      .openapi({ description: "The store's number for the order; null on orders from before it was sent." }),
    reference: z.string(),
    status: statusField,
    customer: CustomerSchema,
    shippingAddress: ShippingAddressSchema,
    lines: z.array(OrderLineSchema),
    subtotalCents: z.int(),
    shippingCents: z.int(),
    vatCents: z.int(),
    totalCents: z.int(),
    correlationId: z.string().openapi({ description: "The correlation ID of the request that created the order." }),
    priority: z.boolean().openapi({
      description:
        "Placed with the `priority-lane` flag in the call's W3C baggage (`baggage: fishtag.flags=priority-lane`): " +
        "packed first, listed first among received orders. Set at creation only.",
    }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Order");

export type Order = z.infer<typeof OrderSchema>;

export const RejectedOrderSchema = z
  .object({
    error: z.literal("order_rejected"),
    message: z.string(),
    correlationId: z.string(),
    order: OrderSchema,
  })
  .openapi("RejectedOrder");

export type RejectedOrder = z.infer<typeof RejectedOrderSchema>;

/**
 * What order creation answers: 201 with the order, or 422 with its rejection. The Idempotency-Key keeps
 * it as JSON text, and a replay reads it back through this schema.
 */
export const CreateAnswerSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal(HTTP.CREATED), body: OrderSchema }),
  z.object({ status: z.literal(HTTP.UNPROCESSABLE_ENTITY), body: RejectedOrderSchema }),
]);

export type CreateAnswer = z.infer<typeof CreateAnswerSchema>;

export const OrderIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});

export const ListOrdersQuerySchema = z.object({
  status: z
    .enum(ORDER_STATUSES)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .optional()
    .openapi({
      param: { name: "q", in: "query" },
      description:
        "Finds orders by exact match on the order id, the store's order number, the PO number or the customer email (each in any case), or the correlation ID of any event in the order's trail (the checkout that placed it, a staff move, a cancellation). Not a prefix or substring search.",
    }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ param: { name: "limit", in: "query" } }),
  cursor: z
    .uuid()
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "The `nextCursor` of the previous page." }),
});

export type ListOrdersQuery = z.infer<typeof ListOrdersQuerySchema>;

export const StatusCountsSchema = z.record(z.enum(ORDER_STATUSES), z.int()).openapi("StatusCounts");

export type StatusCounts = z.infer<typeof StatusCountsSchema>;

export const OrderPageSchema = z
  .object({
    items: z.array(OrderSchema),
    nextCursor: z.string().nullable(),
    counts: StatusCountsSchema.openapi({ description: "Orders per status, over all orders (the dashboard's tabs)." }),
  })
  .openapi("OrderPage");

const eventFields = createSelectSchema(orderEvents).shape;

export const OrderEventSchema = z
  .object({
    id: z.int(),
    orderId: eventFields.orderId,
    type: eventFields.type,
    fromStatus: eventFields.fromStatus,
    toStatus: eventFields.toStatus,
    actor: eventFields.actor,
    reason: eventFields.reason,
    correlationId: eventFields.correlationId,
    at: z.iso.datetime(),
  })
  .openapi("OrderEvent");

export type OrderEvent = z.infer<typeof OrderEventSchema>;

export const TransitionSchema = z
  .object({
    to: z.enum(ORDER_STATUSES),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .refine((transition) => !REASON_REQUIRED.has(transition.to) || transition.reason !== undefined, {
    path: ["reason"],
    message: "A reason is required to cancel an order.",
  })
  .openapi("Transition");

export const OrderEventsSchema = z.object({ items: z.array(OrderEventSchema) }).openapi("OrderEvents");
