import { z } from "zod";

import { currentCorrelationId, type Logger } from "@fishtag/tracing/logger";

import type { Limiter } from "../lib/rate-limits.server";
import { formatOrderNumber } from "./order-number";
import type { OrdersRepo } from "./orders.repo";

// Guest order lookup: a customer on another device (or after clearing cookies) finds an order by the
// email address it was placed with and its order number, as shops without accounts do. A match lets
// this browser see the order from then on. Whether the number or the email is wrong, the answer is the
// same, and attempts are limited per client and per order number, so the form cannot be used to learn
// which order numbers exist or to guess an order's email.

export const FIND_ORDER_FIELDS = ["email", "orderNumber"] as const;
export type FindOrderField = (typeof FIND_ORDER_FIELDS)[number];
export type FindOrderValues = Record<FindOrderField, string>;

export type FindOrderState =
  | { status: "idle" }
  | { status: "invalid"; fieldErrors: Partial<Record<FindOrderField, string>>; values: FindOrderValues }
  | { status: "not_found"; reference: string; values: FindOrderValues }
  | { status: "rate_limited"; reference: string; retryAfterSeconds: number; values: FindOrderValues }
  | { status: "found"; orderNumber: string };

/** ST-000123 as printed, and what people type for it: any case, without the dash or the leading zeros. */
const ORDER_NUMBER = /^(?:ST-?)?0*([1-9]\d{0,11})$/i;

const FindOrderSchema = z.object({
  email: z.string().trim().pipe(z.email("Enter the email address you ordered with, like name@example.com.").max(254)),
  orderNumber: z
    .string()
    .transform((text) => ORDER_NUMBER.exec(text.replace(/\s+/g, ""))?.[1])
    .pipe(z.string({ error: "Enter the order number, like ST-000123." }).transform(Number)),
});

export type FindOrderDeps = {
  customerId: string;
  orders: Pick<OrdersRepo, "findAsGuest">;
  logger: Logger;
  client: string;
  limiters: { perClient: Limiter; perOrder: Limiter };
};

export async function findOrder(form: FormData, deps: FindOrderDeps): Promise<FindOrderState> {
  const { customerId, orders, logger, client, limiters } = deps;
  const reference = currentCorrelationId();
  if (reference === undefined) throw new Error("findOrder must run in a request's correlation scope");
  const text = (key: string) => {
    const value = form.get(key);
    return typeof value === "string" ? value : "";
  };
  const values: FindOrderValues = { email: text("email"), orderNumber: text("orderNumber") };
  const parsed = FindOrderSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: Partial<Record<FindOrderField, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as FindOrderField;
      fieldErrors[field] ??= issue.message;
    }
    return { status: "invalid", fieldErrors, values };
  }
  const sequence = parsed.data.orderNumber;
  const orderNumber = formatOrderNumber(sequence);
  // Every well-formed attempt counts, found or not: the limit is on guessing, and a customer with the
  // right details needs one. Counted per number whether such an order exists or not.
  const retryAfterSeconds = Math.max(await limiters.perClient.take(client), await limiters.perOrder.take(orderNumber));
  if (retryAfterSeconds > 0) {
    logger.warn({ orderNumber, retryAfterSeconds }, "guest order lookup refused: too many attempts");
    return { status: "rate_limited", reference, retryAfterSeconds, values };
  }
  const found = await orders.findAsGuest(customerId, sequence, parsed.data.email);
  // The address is not logged: the order number and the outcome are what support needs.
  logger.info({ orderNumber, found }, "guest order lookup");
  return found ? { status: "found", orderNumber } : { status: "not_found", reference, values };
}
