import { asc, eq } from "drizzle-orm";

import type { PgDb } from "../db/client.server";
import { products } from "../db/schema.postgres";
import type { ProductsRepo } from "./products.repo";

// The catalog on Postgres (ADR 0015): the same queries as products.repo.ts (SQLite), whose comments say
// what each answers. Postgres's rows are SQLite's (db/schema.types.test.ts), so they are returned as read.

export function createPostgresProductsRepo(db: PgDb): ProductsRepo {
  return {
    async listActive() {
      return await db.select().from(products).where(eq(products.active, true)).orderBy(asc(products.position));
    },

    async find(sku) {
      const [product] = await db.select().from(products).where(eq(products.sku, sku));
      return product;
    },
  };
}
