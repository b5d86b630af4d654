import { runWithCorrelationId, type Logger } from "@fishtag/tracing/logger";
import type { CartRepo } from "../cart/cart.repo";
import type { OrdersRepo } from "../orders/orders.repo";
import { checkoutValues, parseCheckout, type CheckoutValues, type FieldErrors } from "./checkout.schema";
import type { CheckoutLimiter } from "./checkout-limit.server";
import type { WarehouseClient } from "./warehouse-client.server";

/** Every outcome a customer can see, as data: the page renders each one; nothing here throws for them. */
export type CheckoutState =
  | { status: "idle" }
  | { status: "placed"; reference: string; orderNumber: string; totalCents: number }
  | { status: "rejected"; reference: string; message: string; values: CheckoutValues }
  | { status: "invalid"; reference: string; fieldErrors: FieldErrors; values: CheckoutValues }
  | { status: "unavailable"; reference: string; values: CheckoutValues }
  | { status: "rate_limited"; reference: string; retryAfterSeconds: number; values: CheckoutValues };

export type PlaceOrderDeps = {
  correlationId: string;
  customerId: string;
  carts: CartRepo;
  orders: OrdersRepo;
  warehouse: WarehouseClient;
  logger: Logger;
  /** Who is checking out (the connection's address) and the limiter that counts their attempts. */
  admission: { client: string; limiter: CheckoutLimiter };
};

/**
 * The checkout: validate the form on the server, take the items and their prices from the customer's
 * cart (priced from the catalog), record the store's order, then send it to the warehouse. Free of Next
 * so that it can be tested directly against a real warehouse. Everything inside runs with the request's
 * correlation ID in scope: every log line and the warehouse call carry it.
 */
export function placeOrder(form: FormData, deps: PlaceOrderDeps): Promise<CheckoutState> {
  return runWithCorrelationId(deps.correlationId, () => checkout(form, deps));
}

async function checkout(form: FormData, deps: PlaceOrderDeps): Promise<CheckoutState> {
  const { correlationId, customerId, carts, orders, warehouse, logger, admission } = deps;
  const values = checkoutValues(form);
  const retryAfterSeconds = await admission.limiter.take(admission.client);
  if (retryAfterSeconds > 0) {
    logger.warn({ retryAfterSeconds }, "checkout refused: too many attempts from this client");
    return { status: "rate_limited", reference: correlationId, retryAfterSeconds, values };
  }
  // Withdrawn products stay visible in the cart but are neither charged nor sent.
  const cart = carts.get(customerId);
  const lines = cart.lines
    .filter((line) => line.available)
    .map(({ sku, name, quantity, unitPriceCents }) => ({ sku, name, quantity, unitPriceCents }));
  const parsed = parseCheckout(values, lines);
  if (!parsed.success) {
    logger.info({ fields: Object.keys(parsed.fieldErrors) }, "checkout input invalid");
    return { status: "invalid", reference: correlationId, fieldErrors: parsed.fieldErrors, values };
  }

  const { data } = parsed;
  const customer = { name: data.name, email: data.email };
  const shippingAddress = {
    line1: data.line1,
    ...(data.line2 ? { line2: data.line2 } : {}),
    city: data.city,
    postalCode: data.postalCode,
    country: data.country,
  };
  // Recorded before the warehouse hears of it: whatever happens next, the store knows the order exists.
  const order = orders.create({ customerId, correlationId, customer, shippingAddress, reference: data.reference, lines });
  logger.info({ storeOrderId: order.id, orderNumber: order.number, lines: lines.length }, "checkout: sending the order to the warehouse");
  const result = await warehouse.createOrder({ storeOrderId: order.id, reference: data.reference, customer, shippingAddress, lines });

  switch (result.kind) {
    case "placed":
      orders.recordCheckoutOutcome(order.id, { status: "received", warehouseOrderId: result.order.id }, correlationId);
      carts.clear(customerId);
      return { status: "placed", reference: correlationId, orderNumber: order.number, totalCents: order.totalCents };
    case "rejected":
      orders.recordCheckoutOutcome(order.id, { status: "rejected", warehouseOrderId: result.order.id }, correlationId);
      return { status: "rejected", reference: correlationId, message: result.message, values };
    case "unavailable":
    case "failed":
      // The cart stays, so the customer can simply try again.
      orders.recordCheckoutOutcome(order.id, { status: "failed" }, correlationId);
      return { status: "unavailable", reference: correlationId, values };
  }
}
