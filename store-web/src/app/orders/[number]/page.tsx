import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { currentCustomerId } from "../../../customer/customer.server";
import { customerOrder } from "../../../orders/customer-order";
import { CustomerOrderView } from "../../../orders/order-detail";
import { parseOrderNumber } from "../../../orders/order-number";
import { repos } from "../../../repos.server";

type Props = { params: Promise<{ number: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Order ${(await params).number}` };
}

export default async function OrderPage({ params, searchParams }: Props) {
  const { number } = await params;
  // The checkout redirects here with ?placed or ?accepted: the page then opens with the confirmation,
  // which follows the order's status from there.
  const query = await searchParams;
  const justPlaced = "placed" in query || "accepted" in query;
  const customerId = await currentCustomerId();
  const sequence = parseOrderNumber(number);
  // Another browser's order is not found, exactly like one that does not exist.
  const order = customerId && sequence ? await repos().orders.findForCustomer(customerId, sequence) : undefined;
  if (!order) notFound();
  return <CustomerOrderView initial={customerOrder(order)} justPlaced={justPlaced} />;
}
