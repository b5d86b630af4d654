"use server";

import { redirect } from "next/navigation";

import { requireCustomerId } from "../customer/customer.server";
import { actionForm } from "../lib/action-form";
import { clientAddress } from "../lib/client-address.server";
import { withRequestCorrelation } from "../lib/correlation.server";
import { logger } from "../lib/logger.server";
import { lookupLimiters } from "../lib/rate-limits.server";
import { repos } from "../repos.server";
import { findOrder, type FindOrderState } from "./find-order";

export type FindOrderFormState = Exclude<FindOrderState, { status: "found" }>;

export async function findOrderAction(_previous: FindOrderFormState, sent: FormData): Promise<FindOrderFormState> {
  const form = actionForm(sent);
  const customerId = await requireCustomerId();
  const client = await clientAddress();
  const state = await withRequestCorrelation(() =>
    findOrder(form, { customerId, orders: repos().orders, logger, client, limiters: lookupLimiters() }),
  );
  // Found: the order's own page, now visible to this browser (POST, redirect, GET, as after a checkout).
  if (state.status === "found") redirect(`/orders/${state.orderNumber}`);
  return state;
}
