"use server";

import { revalidatePath } from "next/cache";

import { requireCustomerId } from "../customer/customer.server";
import { actionForm } from "../lib/action-form";
import { withRequestCorrelation } from "../lib/correlation.server";
import { logger } from "../lib/logger.server";
import { repos } from "../repos.server";
import { cartErrorMessage, parseQuantity } from "./cart-messages";

/** The result of a cart change, for the form that made it; `at` makes a repeated success announce again. */
export type CartActionState =
  { status: "idle" } | { status: "done"; message: string; at: number } | { status: "error"; message: string; at: number };

function text(form: FormData, key: string): string {
  const value = form.get(key);
  return typeof value === "string" ? value : "";
}

type CartLineChange = { customer: string; form: FormData; sku: string; name: string };

/** What every cart form sends, read once, and the change made in the request's correlation scope. */
async function changeCart(
  action: string,
  sent: unknown,
  change: (line: CartLineChange) => Promise<CartActionState>,
): Promise<CartActionState> {
  const form = actionForm(sent);
  const customer = await requireCustomerId();
  return withRequestCorrelation(action, () =>
    change({ customer, form, sku: text(form, "sku"), name: text(form, "name") || "This product" }),
  );
}

// Actions must be declared async (Next checks it when it builds them).
export async function addToCartAction(_previous: CartActionState, sent: FormData): Promise<CartActionState> {
  return await changeCart("add to cart", sent, async ({ customer, form, sku, name }) => {
    const quantity = form.has("quantity") ? parseQuantity(form.get("quantity")) : 1;
    const result = await repos().carts.add(customer, sku, quantity);
    if (!result.ok) {
      logger.info({ sku, error: result.error }, "cart: add refused");
      const message = result.error === "bad_quantity" ? "Choose a whole number from 1 to 99." : cartErrorMessage(result.error, name);
      return { status: "error", message, at: Date.now() };
    }
    logger.info({ sku, quantity: result.quantity }, "cart: item added");
    revalidatePath("/", "layout");
    return { status: "done", message: `Added to your cart: ${name} (${result.quantity} in cart).`, at: Date.now() };
  });
}

/** One cart line's form: "Update" sets the quantity typed, "Remove" (or a quantity of 0) drops the line. */
export async function changeCartLineAction(_previous: CartActionState, sent: FormData): Promise<CartActionState> {
  return await changeCart("change cart line", sent, async ({ customer, form, sku, name }) => {
    const quantity = text(form, "intent") === "remove" ? 0 : parseQuantity(form.get("quantity"));
    const result = await repos().carts.setQuantity(customer, sku, quantity);
    if (!result.ok) {
      logger.info({ sku, error: result.error }, "cart: change refused");
      return { status: "error", message: cartErrorMessage(result.error, name), at: Date.now() };
    }
    logger.info({ sku, quantity: result.quantity }, "cart: line changed");
    revalidatePath("/", "layout");
    const message = result.quantity === 0 ? `Removed ${name} from your cart.` : `${name}: quantity ${result.quantity}.`;
    return { status: "done", message, at: Date.now() };
  });
}
