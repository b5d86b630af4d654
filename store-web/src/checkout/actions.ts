"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";

import { requireCustomerId } from "../customer/customer.server";
import { repos } from "../db/repos.server";
import { CLIENT_ADDRESS_HEADER } from "../lib/client-address";
import { requestCorrelationId } from "../lib/correlation.server";
import { logger } from "../lib/logger.server";
import { checkoutLimiter } from "./checkout-limit.server";
import { placeOrder, type CheckoutState } from "./place-order";
import { warehouse } from "./warehouse.server";

export async function placeOrderAction(_previous: CheckoutState, form: FormData): Promise<CheckoutState> {
  const correlationId = await requestCorrelationId();
  const customerId = await requireCustomerId();
  const { carts, orders, outbox } = repos();
  // server.ts always sets it; "unknown" (one shared budget) only if a request reached Next some other way.
  const client = (await headers()).get(CLIENT_ADDRESS_HEADER) ?? "unknown";
  const admission = { client, limiter: checkoutLimiter };
  const state = await placeOrder(form, { correlationId, customerId, carts, orders, outbox, warehouse, logger, admission });
  // The cart (emptied once the order is placed or accepted) and the order list changed: the header's count and the pages follow.
  revalidatePath("/", "layout");
  return state;
}
