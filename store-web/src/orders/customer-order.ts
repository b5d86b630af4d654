import type { OrderDetail } from "./orders.repo";

/**
 * An order as its customer sees it, on the page and from GET /api/orders/[number]: what they ordered and
 * where it stands. Not the warehouse's id for it, nor who or what request moved it: those are ours.
 * The one reference a customer quotes, the checkout's correlation ID, stays (as `supportReference`).
 */
export type CustomerOrder = Pick<
  OrderDetail,
  | "number"
  | "status"
  | "reference"
  | "subtotalCents"
  | "shippingCents"
  | "vatCents"
  | "totalCents"
  | "createdAt"
  | "customer"
  | "shippingAddress"
  | "lines"
> & {
  supportReference: string;
  /** Placed in the priority lane: the page promises it is packed first. */
  priorityLane: boolean;
  /** Each step in words and time; `reason` where the warehouse gave one (a cancellation). */
  history: { status: OrderDetail["status"]; at: string; reason: string | null }[];
};

export function customerOrder(order: OrderDetail): CustomerOrder {
  return {
    number: order.number,
    status: order.status,
    reference: order.reference,
    subtotalCents: order.subtotalCents,
    shippingCents: order.shippingCents,
    vatCents: order.vatCents,
    totalCents: order.totalCents,
    createdAt: order.createdAt,
    customer: order.customer,
    shippingAddress: order.shippingAddress,
    lines: order.lines,
    supportReference: order.correlationId,
    priorityLane: order.flags.includes("priority-lane"),
    history: order.history.map(({ status, at, reason }) => ({ status, at, reason })),
  };
}
