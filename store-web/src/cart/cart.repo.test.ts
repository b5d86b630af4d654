import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { newCustomer, testDialect, testStore, type TestStore } from "../test/store-db";

/** A time as each dialect stores it: epoch milliseconds in SQLite, a timestamp in Postgres. */
const stored = (ms: number) => (testDialect() === "sqlite" ? ms : new Date(ms));

let store: TestStore;
beforeEach(async () => {
  store = await testStore();
});
afterEach(async () => {
  await store.close();
});

describe("the catalog", () => {
  it("is there in a fresh database, in display order, with prices in cents", async () => {
    expect((await store.products.listActive()).map(({ sku, priceCents }) => [sku, priceCents])).toEqual([
      ["MUG-TEAL", 1450],
      ["TEE-FISH", 2400],
      ["NOTE-A5", 950],
      ["BAG-TOTE", 1800],
      ["STK-PACK", 500],
    ]);
  });
});

describe("carts", () => {
  it("adds items, adding again raises the quantity, and totals come from the catalog", async () => {
    const customer = newCustomer();
    await store.carts.add(customer, "MUG-TEAL", 1);
    await store.carts.add(customer, "STK-PACK", 1);
    expect(await store.carts.add(customer, "MUG-TEAL", 1)).toEqual({ ok: true, quantity: 2 });

    const cart = await store.carts.get(customer);
    expect(
      cart.lines.map(({ sku, quantity, unitPriceCents, lineTotalCents }) => ({ sku, quantity, unitPriceCents, lineTotalCents })),
    ).toEqual([
      { sku: "MUG-TEAL", quantity: 2, unitPriceCents: 1450, lineTotalCents: 2900 },
      { sku: "STK-PACK", quantity: 1, unitPriceCents: 500, lineTotalCents: 500 },
    ]);
    expect(cart).toMatchObject({ charges: { subtotalCents: 3400, shippingCents: 495, totalCents: 3895 }, itemCount: 3 });
  });

  it("prices a cart at today's catalog price", async () => {
    const customer = newCustomer();
    await store.carts.add(customer, "NOTE-A5", 2);
    await store.execute("update products set price_cents = 1000 where sku = 'NOTE-A5'");

    expect((await store.carts.get(customer)).charges.subtotalCents).toBe(2000);
  });

  it("sets a quantity, and a quantity of 0 or remove drops the line", async () => {
    const customer = newCustomer();
    await store.carts.add(customer, "MUG-TEAL", 1);
    await store.carts.add(customer, "TEE-FISH", 1);

    expect(await store.carts.setQuantity(customer, "MUG-TEAL", 5)).toEqual({ ok: true, quantity: 5 });
    expect(await store.carts.setQuantity(customer, "TEE-FISH", 0)).toEqual({ ok: true, quantity: 0 });
    expect((await store.carts.get(customer)).lines.map((line) => [line.sku, line.quantity])).toEqual([["MUG-TEAL", 5]]);

    await store.carts.remove(customer, "MUG-TEAL");
    expect(await store.carts.get(customer)).toEqual({
      lines: [],
      charges: { subtotalCents: 0, shippingCents: 0, vatCents: 0, totalCents: 0 },
      itemCount: 0,
    });
  });

  it("bounds quantities: at most 99 of an item, whole numbers only, at least 1 to add", async () => {
    const customer = newCustomer();
    await store.carts.add(customer, "MUG-TEAL", 98);

    expect(await store.carts.add(customer, "MUG-TEAL", 2)).toEqual({ ok: false, error: "too_many" });
    expect(await store.carts.setQuantity(customer, "MUG-TEAL", 100)).toEqual({ ok: false, error: "too_many" });
    expect(await store.carts.add(customer, "MUG-TEAL", 0)).toEqual({ ok: false, error: "bad_quantity" });
    expect(await store.carts.add(customer, "MUG-TEAL", 1.5)).toEqual({ ok: false, error: "bad_quantity" });
    expect(await store.carts.setQuantity(customer, "MUG-TEAL", -1)).toEqual({ ok: false, error: "bad_quantity" });
    expect(await store.carts.setQuantity(customer, "MUG-TEAL", Number.NaN)).toEqual({ ok: false, error: "bad_quantity" });
    expect(await store.carts.add(customer, "MUG-TEAL", 1)).toEqual({ ok: true, quantity: 99 });
  });

  it("refuses unknown and withdrawn products, and leaves a withdrawn line out of the total", async () => {
    const customer = newCustomer();
    await store.carts.add(customer, "BAG-TOTE", 1);
    await store.carts.add(customer, "STK-PACK", 1);
    await store.execute("update products set active = false where sku = 'BAG-TOTE'");

    expect(await store.carts.add(customer, "NOPE-1", 1)).toEqual({ ok: false, error: "unknown_product" });
    expect(await store.carts.add(customer, "BAG-TOTE", 1)).toEqual({ ok: false, error: "unavailable_product" });
    expect((await store.products.listActive()).map((product) => product.sku)).not.toContain("BAG-TOTE");
    const cart = await store.carts.get(customer);
    expect(cart.lines.find((line) => line.sku === "BAG-TOTE")).toMatchObject({ available: false, lineTotalCents: 0 });
    expect(cart).toMatchObject({ charges: { subtotalCents: 500 }, itemCount: 1 });
  });

  it("keeps each customer's cart to themselves", async () => {
    const [one, two] = [newCustomer(), newCustomer()];
    await store.carts.add(one, "MUG-TEAL", 3);
    await store.carts.add(two, "TEE-FISH", 1);
    await store.carts.clear(two);

    expect((await store.carts.get(one)).itemCount).toBe(3);
    expect((await store.carts.get(two)).lines).toEqual([]);
  });

  it("forgets carts nobody has added to for a while, and keeps the rest", async () => {
    const old = newCustomer();
    const recent = newCustomer();
    await store.carts.add(old, "MUG-TEAL", 1);
    await store.carts.add(recent, "MUG-TEAL", 1);
    const cutoff = new Date(Date.now() + 1000);
    await store.carts.add(recent, "STK-PACK", 1);
    await store.execute("update cart_items set added_at = ? where customer_id = ?", stored(cutoff.getTime() - 60_000), old);
    await store.execute(
      "update cart_items set added_at = ? where customer_id = ? and sku = 'STK-PACK'",
      stored(cutoff.getTime() + 60_000),
      recent,
    );

    expect(await store.carts.deleteAbandoned(cutoff)).toBe(1);
    expect((await store.carts.get(old)).lines).toEqual([]);
    expect((await store.carts.get(recent)).lines.map((line) => line.sku).sort()).toEqual(["MUG-TEAL", "STK-PACK"]);
  });

  it("counts a cart's age from its latest change, so adding more of an item keeps it", async () => {
    const customer = newCustomer();
    const other = newCustomer();
    await store.carts.add(customer, "MUG-TEAL", 1);
    await store.carts.add(other, "MUG-TEAL", 1);
    await store.execute("update cart_items set added_at = ?", stored(Date.now() - 60 * 86_400_000));

    await store.carts.add(customer, "MUG-TEAL", 1);
    await store.carts.setQuantity(other, "MUG-TEAL", 3);

    expect(await store.carts.deleteAbandoned(new Date(Date.now() - 86_400_000))).toBe(0);
    expect((await store.carts.get(customer)).itemCount).toBe(2);
    expect((await store.carts.get(other)).itemCount).toBe(3);
  });
});
