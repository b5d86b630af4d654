import { runWithCorrelationId, type Logger } from "@fishtag/tracing/logger";
import { CATALOG } from "../lib/catalog";
import { checkoutValues, parseCheckout, type CheckoutValues, type FieldErrors } from "./checkout.schema";
import type { WarehouseClient } from "./warehouse-client.server";

/** Every outcome a customer can see, as data: the page renders each one; nothing here throws for them. */
export type CheckoutState =
  | { status: "idle" }
  | { status: "placed"; reference: string; orderId: string; totalCents: number }
  | { status: "rejected"; reference: string; message: string; values: CheckoutValues }
  | { status: "invalid"; reference: string; fieldErrors: FieldErrors; values: CheckoutValues }
  | { status: "unavailable"; reference: string; values: CheckoutValues };

type PlaceOrderDeps = { correlationId: string; warehouse: WarehouseClient; logger: Logger };

/**
 * The checkout: validate the form on the server, price it from the catalog, send it to the warehouse.
 * Free of Next so that it can be tested directly against a real warehouse. Everything inside runs with
 * the request's correlation ID in scope: every log line and the warehouse call carry it.
 */
export function placeOrder(form: FormData, deps: PlaceOrderDeps): Promise<CheckoutState> {
  return runWithCorrelationId(deps.correlationId, () => checkout(form, deps));
}

async function checkout(form: FormData, { correlationId, warehouse, logger }: PlaceOrderDeps): Promise<CheckoutState> {
  const values = checkoutValues(form);
  const parsed = parseCheckout(values);
  if (!parsed.success) {
    logger.info({ fields: Object.keys(parsed.fieldErrors) }, "checkout input invalid");
    return { status: "invalid", reference: correlationId, fieldErrors: parsed.fieldErrors, values };
  }

  const { data } = parsed;
  // Priced here from the catalog: the form carries quantities only.
  const quantities = new Map(data.items.map((item) => [item.sku, item.quantity]));
  const lines = CATALOG.flatMap((product) => {
    const quantity = quantities.get(product.sku);
    return quantity ? [{ sku: product.sku, name: product.name, quantity, unitPriceCents: product.priceCents }] : [];
  });
  const storeOrderId = crypto.randomUUID();
  logger.info({ storeOrderId, lines: lines.length }, "checkout: sending the order to the warehouse");
  const result = await warehouse.createOrder({
    storeOrderId,
    reference: data.reference,
    customer: { name: data.name, email: data.email },
    shippingAddress: {
      line1: data.line1,
      ...(data.line2 ? { line2: data.line2 } : {}),
      city: data.city,
      postalCode: data.postalCode,
      country: data.country,
    },
    lines,
  });

  switch (result.kind) {
    case "placed":
      return { status: "placed", reference: correlationId, orderId: result.order.id, totalCents: result.order.totalCents };
    case "rejected":
      return { status: "rejected", reference: correlationId, message: result.message, values };
    case "unavailable":
    case "failed":
      return { status: "unavailable", reference: correlationId, values };
  }
}
