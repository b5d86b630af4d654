"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";

import { requireCustomerId } from "../customer/customer.server";
import { actionForm } from "../lib/action-form";
import { CLIENT_ADDRESS_HEADER } from "../lib/client-address";
import { withRequestCorrelation } from "../lib/correlation.server";
import { logger } from "../lib/logger.server";
import { repos } from "../repos.server";
import { warehouse } from "../warehouse/warehouse.server";
import { checkoutLimiter } from "./checkout-limit.server";
import { placeOrder, type CheckoutState } from "./place-order";

export async function placeOrderAction(_previous: CheckoutState, sent: FormData): Promise<CheckoutState> {
  const form = actionForm(sent);
  const customerId = await requireCustomerId();
  // server.ts always sets it; "unknown" (one shared budget) only if a request reached Next some other way.
  const client = (await headers()).get(CLIENT_ADDRESS_HEADER) ?? "unknown";
  const state = await withRequestCorrelation(() =>
    placeOrder(form, {
      customerId,
      ...repos(),
      warehouse: warehouse(),
      logger,
      admission: { client, limiter: checkoutLimiter() },
    }),
  );
  // The cart (emptied once the order is placed or accepted) and the order list changed: the header's count and the pages follow.
  revalidatePath("/", "layout");
  return state;
}
