"use server";

import { requestCorrelationId } from "../lib/correlation.server";
import { logger } from "../lib/logger.server";
import { placeOrder, type CheckoutState } from "./place-order";
import { warehouse } from "./warehouse.server";

export async function placeOrderAction(_previous: CheckoutState, form: FormData): Promise<CheckoutState> {
  return placeOrder(form, { correlationId: await requestCorrelationId(), warehouse, logger });
}
