"use server";

import { revalidatePath } from "next/cache";
import { currentCustomerId } from "../customer/customer.server";
import { repos } from "../db/repos.server";
import { requestCorrelationId } from "../lib/correlation.server";
import { logger } from "../lib/logger.server";
import { placeOrder, type CheckoutState } from "./place-order";
import { warehouse } from "./warehouse.server";

export async function placeOrderAction(_previous: CheckoutState, form: FormData): Promise<CheckoutState> {
  const correlationId = await requestCorrelationId();
  const customerId = await currentCustomerId();
  // proxy.ts gives every action request a customer; without one there is no cart to check out.
  if (!customerId) throw new Error("checkout without a customer cookie");
  const { carts, orders } = repos();
  const state = await placeOrder(form, { correlationId, customerId, carts, orders, warehouse, logger });
  // The cart (emptied on success) and the order list changed: the header's count and the pages follow.
  revalidatePath("/", "layout");
  return state;
}
