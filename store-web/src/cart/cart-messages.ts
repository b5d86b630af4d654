import { MAX_QUANTITY } from "../lib/catalog";
import type { CartChange } from "./cart.repo";

/** What a customer reads when a cart change is refused. */
export function cartErrorMessage(error: Extract<CartChange, { ok: false }>["error"], productName = "This product"): string {
  switch (error) {
    case "unknown_product":
      return "That product is not in our catalog.";
    case "unavailable_product":
      return `Sorry, ${productName} is no longer available.`;
    case "bad_quantity":
      return `Choose a whole number from 0 to ${MAX_QUANTITY}.`;
    case "too_many":
      return `At most ${MAX_QUANTITY} of each item.`;
  }
}

/** A quantity field as typed: whole numbers only ("2", not "2.5", "2e1" or "two"). */
export function parseQuantity(raw: FormDataEntryValue | null): number {
  const text = typeof raw === "string" ? raw.trim() : "";
  return /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
}
