import { errorResponse, HTTP } from "../lib/http";
import { customerOrder } from "./customer-order";
import { parseOrderNumber } from "./order-number";
import type { OrdersRepo } from "./orders.repo";

/**
 * GET /api/orders/[number], scoped by the customer cookie: another browser's order, a malformed number
 * and no cookie at all are the same 404, so the route does not confirm that an order number exists.
 */
export async function orderResponse(
  orders: OrdersRepo,
  customerId: string | undefined,
  number: string,
  correlationId: string,
): Promise<Response> {
  const sequence = parseOrderNumber(number);
  const order = customerId && sequence ? await orders.findForCustomer(customerId, sequence) : undefined;
  if (!order) return errorResponse(HTTP.NOT_FOUND, "not_found", "No such order for this browser.", correlationId);
  return Response.json(customerOrder(order), { status: HTTP.OK, headers: { "cache-control": "no-store" } });
}
