import { currentCustomerId } from "../../../../customer/customer.server";
import { jsonRoute } from "../../../../lib/correlation.server";
import { orderResponse } from "../../../../orders/order-api";
import { repos } from "../../../../repos.server";

export const dynamic = "force-dynamic";

/** One of this browser's orders, as the order page polls it for status changes. */
export const GET = jsonRoute(async (_request, { params }: { params: Promise<{ number: string }> }, correlationId) => {
  const { number } = await params;
  return orderResponse(repos().orders, await currentCustomerId(), number, correlationId);
});
