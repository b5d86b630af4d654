import { asc, eq } from "drizzle-orm";

import type { Db } from "../db/client.server";
import { products } from "../db/schema";

export type Product = typeof products.$inferSelect;

export type ProductsRepo = ReturnType<typeof createProductsRepo>;

export function createProductsRepo(db: Db) {
  const active = db.select().from(products).where(eq(products.active, true)).orderBy(asc(products.position)).prepare();
  return {
    /** What the catalog page sells, in display order. */
    listActive(): Product[] {
      return active.all();
    },
  };
}
