import { currentCustomerId } from "../../../../customer/customer.server";
import { repos } from "../../../../db/repos.server";
import { withRequestCorrelation } from "../../../../lib/correlation.server";
import { orderResponse } from "../../../../orders/order-api";

export const dynamic = "force-dynamic";

/** One of this browser's orders, as the order page polls it for status changes. */
export async function GET(_request: Request, { params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const customerId = await currentCustomerId();
  return withRequestCorrelation((correlationId) => Promise.resolve(orderResponse(repos().orders, customerId, number, correlationId)));
}
