import { backoffMs, type Backoff, type DeliveryOutcome } from "@fishtag/relay";
import { runWithFlags } from "@fishtag/tracing/flags";
import type { Logger } from "@fishtag/tracing/logger";

import type { OrderDetail, OrdersRepo } from "../orders/orders.repo";
import type { CreateOrderResult, WarehouseClient, WarehouseOrderRequest } from "../warehouse/client.server";
import { DEFAULT_BACKOFF, type OrderOutbox } from "./order-outbox.repo";

export type DeliveryDeps = {
  orders: OrdersRepo;
  outbox: OrderOutbox;
  warehouse: Pick<WarehouseClient, "createOrder">;
  logger: Logger;
  /** Epoch ms; tests move it on instead of waiting out a backoff. */
  now: () => number;
  /** In [0, 1): the jitter. */
  random: () => number;
  backoff?: Backoff;
};

/**
 * The order as the warehouse is sent it, built from what the store recorded, so the checkout's attempt
 * and every later one by the relay send the very same body: the warehouse refuses an Idempotency-Key
 * reused with a different one.
 */
export function warehouseRequestOf(order: OrderDetail): WarehouseOrderRequest {
  const { line1, line2, city, postalCode, country } = order.shippingAddress;
  return {
    storeOrderId: order.id,
    storeOrderNumber: order.number,
    reference: order.reference,
    customer: order.customer,
    shippingAddress: { line1, ...(line2 ? { line2 } : {}), city, postalCode, country },
    lines: order.lines,
    subtotalCents: order.subtotalCents,
    shippingCents: order.shippingCents,
    vatCents: order.vatCents,
    totalCents: order.totalCents,
  };
}

/**
 * One delivery attempt of an order in the outbox, by the checkout or the relay (through the same client,
 * so the same Idempotency-Key, the store's order id, and the same circuit breaker), and its outcome
 * recorded: placed or rejected is delivered (the warehouse has the order either way); unavailable (down,
 * too slow, 5xx, busy with this very key (409), circuit open, or a 401 for the store's token) is retried
 * later with backoff; an answer outside the contract (any other 4xx, or a body it cannot read) will not
 * get better by asking again, so the row is parked and the order marked failed. Runs in the caller's correlation scope: the checkout's ID.
 */
export async function deliverOrder(
  row: { storeOrderId: string; correlationId: string; attempts: number },
  deps: DeliveryDeps,
): Promise<{ outcome: DeliveryOutcome; result: CreateOrderResult }> {
  const { orders, outbox, warehouse, logger, now, random, backoff = DEFAULT_BACKOFF } = deps;
  const { storeOrderId, correlationId } = row;
  const attempt = row.attempts + 1;
  const order = await orders.findById(storeOrderId);
  if (!order) {
    // The row's foreign key cascades, so only a row read just before its order was deleted gets here.
    await outbox.park(storeOrderId, "order not found");
    logger.error({ storeOrderId, attempt }, "order delivery parked: the order is gone");
    return { outcome: "parked", result: { kind: "failed", reason: "order not found" } };
  }

  // With the flags the order was placed with, in the call's baggage: the checkout's own attempt and the
  // relay's later ones ask the warehouse for the same, whatever context they run in.
  const result = await runWithFlags(order.flags, () => warehouse.createOrder(warehouseRequestOf(order)));
  const at = now();
  const fields = { storeOrderId, orderNumber: order.number, attempt };
  switch (result.kind) {
    case "placed":
    case "rejected": {
      const status = result.kind === "placed" ? "received" : "rejected";
      await orders.recordCheckoutOutcome(storeOrderId, { status, warehouseOrderId: result.order.id }, correlationId, new Date(at));
      await outbox.delivered(storeOrderId, at);
      logger.info({ ...fields, status, warehouseOrderId: result.order.id }, "order delivered to the warehouse");
      return { outcome: "delivered", result };
    }
    case "unavailable": {
      await orders.recordCheckoutOutcome(storeOrderId, { status: "awaiting_confirmation" }, correlationId, new Date(at));
      const retryInMs = backoffMs(attempt, random, backoff);
      await outbox.retryAt(storeOrderId, at + retryInMs, result.reason);
      logger.warn({ ...fields, reason: result.reason, retryInMs }, "order delivery failed, will retry");
      return { outcome: "retried", result };
    }
    case "failed":
      await orders.recordCheckoutOutcome(storeOrderId, { status: "failed" }, correlationId, new Date(at));
      await outbox.park(storeOrderId, result.reason);
      logger.error({ ...fields, reason: result.reason }, "order delivery parked: the warehouse refused it");
      return { outcome: "parked", result };
  }
}
