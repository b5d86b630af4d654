import { and, asc, eq, inArray, lt, max, sql } from "drizzle-orm";

import { promised } from "@fishtag/service-kit/promised";

import type { Db } from "../db/client.server";
import { cartItems, products } from "../db/schema";
import { MAX_QUANTITY } from "../lib/catalog";
import { chargesFor, type Charges } from "../lib/pricing";

export type CartLine = {
  sku: string;
  name: string;
  description: string;
  quantity: number;
  /** From the catalog now, never from the browser. */
  unitPriceCents: number;
  lineTotalCents: number;
  /** False once the product has been withdrawn: the line is shown but not charged or sent. */
  available: boolean;
};

/** A cart and what it would cost: the lines priced from the catalog today, and the charges on them. */
export type Cart = { lines: CartLine[]; charges: Charges; itemCount: number };

export type CartChange =
  { ok: true; quantity: number } | { ok: false; error: "unknown_product" | "unavailable_product" | "bad_quantity" | "too_many" };

/** A cart's line as each dialect's query reads it: the customer's quantity and the catalog's product today. */
export type CartRow = Omit<CartLine, "available" | "lineTotalCents"> & { active: boolean };

/**
 * Prices a cart's rows (in display order) as the catalog has them now: a withdrawn product's line is
 * shown but neither charged nor counted. Shared by both dialects' repositories (cart.repo.postgres.ts).
 */
export function priceCart(rows: CartRow[]): Cart {
  const lines = rows.map(({ active, ...line }): CartLine => ({
    ...line,
    available: active,
    lineTotalCents: active ? line.quantity * line.unitPriceCents : 0,
  }));
  const charged = lines.filter((line) => line.available);
  return {
    lines,
    charges: chargesFor(charged.reduce((sum, line) => sum + line.lineTotalCents, 0)),
    itemCount: charged.reduce((sum, line) => sum + line.quantity, 0),
  };
}

const p = sql.placeholder;

export type CartRepo = ReturnType<typeof createCartRepo>;

export function createCartRepo(db: Db) {
  const lines = db
    .select({
      sku: cartItems.sku,
      quantity: cartItems.quantity,
      name: products.name,
      description: products.description,
      unitPriceCents: products.priceCents,
      active: products.active,
    })
    .from(cartItems)
    .innerJoin(products, eq(products.sku, cartItems.sku))
    .where(eq(cartItems.customerId, p("customerId")))
    .orderBy(asc(products.position))
    .prepare();
  const product = db
    .select({ active: products.active })
    .from(products)
    .where(eq(products.sku, p("sku")))
    .prepare();
  const item = db
    .select({ quantity: cartItems.quantity })
    .from(cartItems)
    .where(and(eq(cartItems.customerId, p("customerId")), eq(cartItems.sku, p("sku"))))
    .prepare();
  const upsert = db
    .insert(cartItems)
    .values({ customerId: p("customerId"), sku: p("sku"), quantity: p("quantity"), addedAt: p("at") })
    // A change to a line is a visit too: the cart's age (deleteAbandoned) runs from the latest.
    .onConflictDoUpdate({
      target: [cartItems.customerId, cartItems.sku],
      set: { quantity: sql`excluded.quantity`, addedAt: sql`excluded.added_at` },
    })
    .prepare();
  const remove = db
    .delete(cartItems)
    .where(and(eq(cartItems.customerId, p("customerId")), eq(cartItems.sku, p("sku"))))
    .prepare();
  const clear = db
    .delete(cartItems)
    .where(eq(cartItems.customerId, p("customerId")))
    .prepare();

  /** Sets a line to `quantity` after the checks every change shares; the caller has bounded it below. */
  function write(customerId: string, sku: string, quantity: number): CartChange {
    const found = product.get({ sku });
    if (!found) return { ok: false, error: "unknown_product" };
    if (!found.active) return { ok: false, error: "unavailable_product" };
    if (quantity > MAX_QUANTITY) return { ok: false, error: "too_many" };
    upsert.run({ customerId, sku, quantity, at: new Date() });
    return { ok: true, quantity };
  }

  return promised({
    get(customerId: string): Cart {
      return priceCart(lines.all({ customerId }));
    },

    /** Adds `quantity` to what is already in the cart. */
    add(customerId: string, sku: string, quantity = 1): CartChange {
      if (!Number.isInteger(quantity) || quantity < 1) return { ok: false, error: "bad_quantity" };
      const current = item.get({ customerId, sku })?.quantity ?? 0;
      return write(customerId, sku, current + quantity);
    },

    /** Sets a line's quantity; 0 removes it. */
    setQuantity(customerId: string, sku: string, quantity: number): CartChange {
      if (!Number.isInteger(quantity) || quantity < 0) return { ok: false, error: "bad_quantity" };
      if (quantity === 0) {
        remove.run({ customerId, sku });
        return { ok: true, quantity: 0 };
      }
      return write(customerId, sku, quantity);
    },

    remove(customerId: string, sku: string): void {
      remove.run({ customerId, sku });
    },

    clear(customerId: string): void {
      clear.run({ customerId });
    },

    /**
     * Forgets the carts nobody has changed since `before`: an anonymous customer who left does not come
     * back for them, and every new cookie makes a cart. Returns how many lines went.
     */
    deleteAbandoned(before: Date): number {
      const abandoned = db
        .select({ customerId: cartItems.customerId })
        .from(cartItems)
        .groupBy(cartItems.customerId)
        // max() loses the column's timestamp mapping: compared in the stored epoch milliseconds.
        .having(lt(max(cartItems.addedAt), before.getTime()));
      return db.delete(cartItems).where(inArray(cartItems.customerId, abandoned)).run().changes;
    },
  });
}
