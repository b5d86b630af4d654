import { z } from "zod";

import { MAX_QUANTITY, SHIPPING_COUNTRIES } from "../lib/catalog";

// The checkout form as the server sees it: FormData field names, the rules a customer can read, and
// the values echoed back so a failed submission keeps what was typed. The items are not in the form:
// they come from the customer's cart, on the server.

export const CHECKOUT_FIELDS = ["name", "email", "line1", "line2", "city", "postalCode", "country", "reference"] as const;
export type CheckoutField = (typeof CHECKOUT_FIELDS)[number];

const required = (label: string, max: number) => z.string().trim().min(1, `Enter ${label}.`).max(max, `Use at most ${max} characters.`);

const countryCodes = SHIPPING_COUNTRIES.map((country) => country.code);

export const CheckoutSchema = z.object({
  name: required("your name", 200),
  email: z.string().trim().pipe(z.email("Enter an email address like name@example.com.").max(254)),
  line1: required("the first line of the address", 200),
  line2: z.string().trim().max(200, "Use at most 200 characters."),
  city: required("a town or city", 100),
  postalCode: required("a postcode", 20),
  country: z.string().refine((code) => countryCodes.includes(code as (typeof countryCodes)[number]), "Choose a country we ship to."),
  reference: required("a PO reference", 64),
  items: z
    .array(
      z.object({
        sku: z.string(),
        quantity: z
          .int(`Quantities must be whole numbers.`)
          .min(0, "Quantities can’t be negative.")
          .max(MAX_QUANTITY, `At most ${MAX_QUANTITY} of each item.`),
      }),
    )
    .transform((items) => items.filter((item) => item.quantity > 0))
    .refine((items) => items.length > 0, "Choose at least one item."),
});

export type Checkout = z.infer<typeof CheckoutSchema>;

export type CheckoutValues = Record<CheckoutField, string>;

/** What the customer typed, as strings, to put back in the form. */
export function checkoutValues(form: FormData): CheckoutValues {
  const text = (key: string) => {
    const value = form.get(key);
    return typeof value === "string" ? value : "";
  };
  return Object.fromEntries(CHECKOUT_FIELDS.map((field) => [field, text(field)])) as CheckoutValues;
}

export type FieldErrors = Partial<Record<CheckoutField | "items", string>>;

/** The form's values and the cart's items (SKU and quantity), checked together. */
export function parseCheckout(
  values: CheckoutValues,
  items: readonly { sku: string; quantity: number }[],
): { success: true; data: Checkout } | { success: false; fieldErrors: FieldErrors } {
  const result = CheckoutSchema.safeParse({ ...values, items });
  if (result.success) return { success: true, data: result.data };

  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    const field = (key === "items" ? "items" : key) as keyof FieldErrors;
    fieldErrors[field] ??= issue.message;
  }
  return { success: false, fieldErrors };
}
