"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { requireCustomerId } from "../customer/customer.server";
import { actionForm } from "../lib/action-form";
import { clientAddress } from "../lib/client-address.server";
import { withRequestCorrelation } from "../lib/correlation.server";
import { logger } from "../lib/logger.server";
import { checkoutLimiter } from "../lib/rate-limits.server";
import { repos } from "../repos.server";
import { warehouse } from "../warehouse/warehouse.server";
import { placeOrder, type CheckoutState } from "./place-order";

/** What the checkout page shows after a submission: every outcome but an order taken, which has its own page. */
export type CheckoutFormState = Exclude<CheckoutState, { status: "placed" | "accepted" }>;

export async function placeOrderAction(_previous: CheckoutFormState, sent: FormData): Promise<CheckoutFormState> {
  const form = actionForm(sent);
  const customerId = await requireCustomerId();
  const client = await clientAddress();
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
  // An order the store has taken is confirmed on its own page: POST, redirect, GET, so a reload or Back
  // shows the order again rather than posting it twice (without JavaScript, a 303).
  // The query says which (placed, or accepted for later), so the answer alone tells a client what happened.
  if (state.status === "placed" || state.status === "accepted") redirect(`/orders/${state.orderNumber}?${state.status}`);
  return state;
}
