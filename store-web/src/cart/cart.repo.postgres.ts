import { and, asc, eq, inArray, lt, max, sql } from "drizzle-orm";

import type { PgDb } from "../db/client.server";
import { cartItems, products } from "../db/schema.postgres";
import { MAX_QUANTITY } from "../lib/catalog";
import { priceCart, type CartChange, type CartRepo } from "./cart.repo";

// The carts on Postgres (ADR 0015): the API of cart.repo.ts (SQLite), whose comments say what each method
// means, and its pricing (priceCart). SQLite runs a change in one synchronous call; here replicas change
// one cart at once (a double click, two tabs, behind a load balancer), so each write is one statement and
// the row's lock orders them: none reads a quantity another is about to change.

const line = (customerId: string, sku: string) => and(eq(cartItems.customerId, customerId), eq(cartItems.sku, sku));

export function createPostgresCartRepo(db: PgDb): CartRepo {
  /**
   * Why `sku` cannot go in a cart, or undefined when it can. A product withdrawn between this read and the
   * write is the same as one withdrawn just after it: the cart shows the line unavailable (priceCart).
   */
  async function refusal(sku: string): Promise<CartChange | undefined> {
    const [found] = await db.select({ active: products.active }).from(products).where(eq(products.sku, sku));
    if (!found) return { ok: false, error: "unknown_product" };
    if (!found.active) return { ok: false, error: "unavailable_product" };
    return undefined;
  }

  return {
    async get(customerId) {
      const rows = await db
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
        .where(eq(cartItems.customerId, customerId))
        .orderBy(asc(products.position));
      return priceCart(rows);
    },

    async add(customerId, sku, quantity = 1) {
      if (!Number.isInteger(quantity) || quantity < 1) return { ok: false, error: "bad_quantity" };
      const refused = await refusal(sku);
      if (refused) return refused;
      if (quantity > MAX_QUANTITY) return { ok: false, error: "too_many" };
      // One upsert, not a read then a write: of two adds at once (from two replicas), the second waits for
      // the first's row lock and adds to what it wrote. Past MAX_QUANTITY the update's condition leaves the
      // row as it was and returns nothing. As any change, it renews addedAt, the cart's age.
      const [row] = await db
        .insert(cartItems)
        .values({ customerId, sku, quantity, addedAt: new Date() })
        .onConflictDoUpdate({
          target: [cartItems.customerId, cartItems.sku],
          set: { quantity: sql`${cartItems.quantity} + excluded.quantity`, addedAt: sql`excluded.added_at` },
          setWhere: sql`${cartItems.quantity} + excluded.quantity <= ${MAX_QUANTITY}`,
        })
        .returning({ quantity: cartItems.quantity });
      return row ? { ok: true, quantity: row.quantity } : { ok: false, error: "too_many" };
    },

    async setQuantity(customerId, sku, quantity) {
      if (!Number.isInteger(quantity) || quantity < 0) return { ok: false, error: "bad_quantity" };
      if (quantity === 0) {
        await db.delete(cartItems).where(line(customerId, sku));
        return { ok: true, quantity: 0 };
      }
      const refused = await refusal(sku);
      if (refused) return refused;
      if (quantity > MAX_QUANTITY) return { ok: false, error: "too_many" };
      await db
        .insert(cartItems)
        .values({ customerId, sku, quantity, addedAt: new Date() })
        .onConflictDoUpdate({ target: [cartItems.customerId, cartItems.sku], set: { quantity, addedAt: sql`excluded.added_at` } });
      return { ok: true, quantity };
    },

    async remove(customerId, sku) {
      await db.delete(cartItems).where(line(customerId, sku));
    },

    async clear(customerId) {
      await db.delete(cartItems).where(eq(cartItems.customerId, customerId));
    },

    async deleteAbandoned(before) {
      const abandoned = db
        .select({ customerId: cartItems.customerId })
        .from(cartItems)
        .groupBy(cartItems.customerId)
        // timestamptz against timestamptz: pg sends the Date with its offset, to the millisecond (SQLite's
        // compares epoch milliseconds, the integers it stores).
        .having(lt(max(cartItems.addedAt), before));
      return (await db.delete(cartItems).where(inArray(cartItems.customerId, abandoned))).rowCount ?? 0;
    },
  };
}
