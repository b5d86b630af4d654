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
  quantities: { "MUG-TEAL": "1" },
  ...overrides,
});

describe("parseCheckout", () => {
  it("trims text and keeps only the items with a quantity", () => {
    const result = parseCheckout(values({ name: "  Ada  ", quantities: { "MUG-TEAL": "3", "TEE-FISH": "0", "NOTE-A5": "" } }));

    expect(result).toMatchObject({ success: true, data: { name: "Ada", items: [{ sku: "MUG-TEAL", quantity: 3 }] } });
  });

  it.each<[string, Partial<CheckoutValues>, string, string]>([
    ["a missing name", { name: "" }, "name", "Enter your name."],
    ["a bad email", { email: "ada@" }, "email", "Enter an email address like name@example.com."],
    ["a country we do not ship to", { country: "ZZ" }, "country", "Choose a country we ship to."],
    ["a reference over 64 characters", { reference: "R".repeat(65) }, "reference", "Use at most 64 characters."],
    ["no items", { quantities: {} }, "items", "Choose at least one item."],
    ["a fractional quantity", { quantities: { "MUG-TEAL": "1.5" } }, "items", "Quantities must be whole numbers."],
    ["a negative quantity", { quantities: { "MUG-TEAL": "-1" } }, "items", "Quantities can’t be negative."],
    ["too many of an item", { quantities: { "MUG-TEAL": "100" } }, "items", "At most 99 of each item."],
    ["text for a quantity", { quantities: { "MUG-TEAL": "lots" } }, "items", "Quantities must be whole numbers."],
  ])("explains %s next to the field", (_, overrides, field, message) => {
    const result = parseCheckout(values(overrides));

    expect(result.success).toBe(false);
    expect(!result.success && result.fieldErrors[field as keyof typeof result.fieldErrors]).toBe(message);
  });
});
