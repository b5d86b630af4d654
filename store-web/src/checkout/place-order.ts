import { currentFlags } from "@fishtag/tracing/flags";
import { currentCorrelationId, type Logger } from "@fishtag/tracing/logger";

import type { CartRepo } from "../cart/cart.repo";
import type { Limiter } from "../lib/rate-limits.server";
import { deliverOrder } from "../order-outbox/delivery";
import type { OrderOutbox } from "../order-outbox/order-outbox.repo";
import type { OrdersRepo } from "../orders/orders.repo";
import type { WarehouseClient } from "../warehouse/client.server";
import { checkoutValues, parseCheckout, type CheckoutValues, type FieldErrors } from "./checkout.schema";

/** Every outcome a customer can see, as data: the page renders each one; nothing here throws for them. */
export type CheckoutState =
  | { status: "idle" }
  | { status: "placed"; reference: string; orderNumber: string; totalCents: number }
  /** Safe in the store's outbox but not confirmed by the warehouse yet: the relay delivers it later. */
  | { status: "accepted"; reference: string; orderNumber: string; totalCents: number }
  | { status: "rejected"; reference: string; message: string; values: CheckoutValues }
  | { status: "invalid"; reference: string; fieldErrors: FieldErrors; values: CheckoutValues }
  | { status: "failed"; reference: string; values: CheckoutValues }
  | { status: "rate_limited"; reference: string; retryAfterSeconds: number; values: CheckoutValues };

export type PlaceOrderDeps = {
  customerId: string;
  carts: CartRepo;
  orders: OrdersRepo;
  outbox: OrderOutbox;
  warehouse: WarehouseClient;
  logger: Logger;
  /** Who is checking out (the connection's address) and the limiter that counts their attempts. */
  admission: { client: string; limiter: Limiter };
  /** Epoch ms and the backoff's jitter, for the outbox row's next attempt; tests pin them. */
  now?: () => number;
  random?: () => number;
};

/**
 * The checkout: validate the form on the server, take the items and their prices from the customer's
 * cart (priced from the catalog), record the store's order with its outbox row, then send it to the
 * warehouse at once. If the warehouse cannot take it now, the order is still accepted: the outbox relay
 * delivers it later (order-outbox/relay.ts). Free of Next so that it can be tested directly against a
 * real warehouse. It runs in the request's correlation scope (the action enters it): the reference the
 * customer is shown, the order's and its outbox row's ID, every log line and the warehouse call all take
 * that one ID from the scope, so none can drift from the others. The customer's feature flags come from
 * the scope's baggage the same way.
 */
export async function placeOrder(form: FormData, deps: PlaceOrderDeps): Promise<CheckoutState> {
  const { customerId, carts, orders, outbox, warehouse, logger, admission, now = Date.now, random = Math.random } = deps;
  const correlationId = currentCorrelationId();
  if (correlationId === undefined) throw new Error("placeOrder must run in a request's correlation scope");
  const values = checkoutValues(form);
  // Withdrawn products stay visible in the cart but are neither charged nor sent.
  const cart = await carts.get(customerId);
  const lines = cart.lines
    .filter((line) => line.available)
    .map(({ sku, name, quantity, unitPriceCents }) => ({ sku, name, quantity, unitPriceCents }));
  const parsed = parseCheckout(values, lines);
  if (!parsed.success) {
    logger.info({ fields: Object.keys(parsed.fieldErrors) }, "checkout input invalid");
    return { status: "invalid", reference: correlationId, fieldErrors: parsed.fieldErrors, values };
  }
  // Counted after validation: a customer fixing a typo is not spending their checkouts. What the limit
  // guards is what comes next, the database write and the call to the warehouse.
  const retryAfterSeconds = await admission.limiter.take(admission.client);
  if (retryAfterSeconds > 0) {
    logger.warn({ retryAfterSeconds }, "checkout refused: too many attempts from this client");
    return { status: "rate_limited", reference: correlationId, retryAfterSeconds, values };
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
  // Recorded with its outbox row before the warehouse hears of it: whatever happens next, the store knows
  // the order exists and will deliver it. With the flags the customer checked out with (the action's scope
  // has them): a later delivery sends the same, and the order's page keeps their promise.
  const order = await orders.create(
    { customerId, correlationId, customer, shippingAddress, reference: data.reference, lines, flags: currentFlags() },
    new Date(now()),
  );
  logger.info({ storeOrderId: order.id, orderNumber: order.number, lines: lines.length }, "checkout: sending the order to the warehouse");
  const { result } = await deliverOrder(
    { storeOrderId: order.id, correlationId, attempts: 0 },
    { orders, outbox, warehouse, logger, now, random },
  );
  const placed = { reference: correlationId, orderNumber: order.number, totalCents: order.totalCents };

  switch (result.kind) {
    case "placed":
      await carts.clear(customerId);
      return { status: "placed", ...placed };
    case "rejected":
      return { status: "rejected", reference: correlationId, message: result.message, values };
    case "unavailable":
      // The order is safe in the outbox: the cart is emptied as for a placed one.
      await carts.clear(customerId);
      return { status: "accepted", ...placed };
    case "failed":
      // An answer outside the contract: the order is parked, not delivered. The cart stays for a retry.
      return { status: "failed", reference: correlationId, values };
  }
}
