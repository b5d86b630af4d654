import { asc, eq, sql } from "drizzle-orm";

import { promised } from "@fishtag/service-kit/promised";

import type { Db } from "../db/client.server";
import { products } from "../db/schema";

export type Product = typeof products.$inferSelect;

export type ProductsRepo = ReturnType<typeof createProductsRepo>;

export function createProductsRepo(db: Db) {
  const active = db.select().from(products).where(eq(products.active, true)).orderBy(asc(products.position)).prepare();
  const bySku = db
    .select()
    .from(products)
    .where(eq(products.sku, sql.placeholder("sku")))
    .prepare();
  return promised({
    /** What the catalog page sells, in display order. */
    listActive(): Product[] {
      return active.all();
    },

    /** One product, withdrawn ones included (their page says they are no longer sold). */
    find(sku: string): Product | undefined {
      return bySku.get({ sku });
    },
  });
}
