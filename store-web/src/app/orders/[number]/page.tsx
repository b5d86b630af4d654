import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { currentCustomerId } from "../../../customer/customer.server";
import { OrderDetailView } from "../../../orders/order-detail";
import { parseOrderNumber } from "../../../orders/order-number";
import { repos } from "../../../repos.server";

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Order ${(await params).number}` };
}

export default async function OrderPage({ params }: Props) {
  const { number } = await params;
  const customerId = await currentCustomerId();
  const sequence = parseOrderNumber(number);
  // Another browser's order is not found, exactly like one that does not exist.
  const order = customerId && sequence ? repos().orders.findForCustomer(customerId, sequence) : undefined;
  if (!order) notFound();
  return <OrderDetailView initial={order} />;
}
