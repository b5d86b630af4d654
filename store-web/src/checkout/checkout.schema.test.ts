import { describe, expect, it } from "vitest";

import { parseCheckout, type CheckoutValues } from "./checkout.schema";

const values = (overrides: Partial<CheckoutValues> = {}): CheckoutValues => ({
  name: "Ada",
  email: "ada@example.com",
  reference: "PO-1",
  line1: "1 Road",
  line2: "",
  city: "London",
  postalCode: "N1",
  country: "GB",
  ...overrides,
});

const oneMug = [{ sku: "MUG-TEAL", quantity: 1 }];

describe("parseCheckout", () => {
  it("trims text and keeps only the items with a quantity", () => {
    const result = parseCheckout(values({ name: "  Ada  " }), [
      { sku: "MUG-TEAL", quantity: 3 },
      { sku: "TEE-FISH", quantity: 0 },
    ]);

    expect(result).toMatchObject({ success: true, data: { name: "Ada", items: [{ sku: "MUG-TEAL", quantity: 3 }] } });
  });

  it.each<[string, Partial<CheckoutValues>, { sku: string; quantity: number }[], string, string]>([
    ["a missing name", { name: "" }, oneMug, "name", "Enter your name."],
    ["a bad email", { email: "ada@" }, oneMug, "email", "Enter an email address like name@example.com."],
    ["a country we do not ship to", { country: "ZZ" }, oneMug, "country", "Choose a country we ship to."],
    ["a reference over 64 characters", { reference: "R".repeat(65) }, oneMug, "reference", "Use at most 64 characters."],
    ["an empty cart", {}, [], "items", "Choose at least one item."],
    ["too many of an item", {}, [{ sku: "MUG-TEAL", quantity: 100 }], "items", "At most 99 of each item."],
  ])("explains %s next to the field", (_, overrides, items, field, message) => {
    const result = parseCheckout(values(overrides), items);

    expect(result.success).toBe(false);
    expect(!result.success && result.fieldErrors[field as keyof typeof result.fieldErrors]).toBe(message);
  });
});
