import { fileURLToPath } from "node:url";

import { createCartRepo } from "../cart/cart.repo";
import { openDatabase, type Db } from "../db/client.server";
import { createOrderOutbox } from "../order-outbox/order-outbox.repo";
import { createOrdersRepo } from "../orders/orders.repo";
import { createProductsRepo } from "../products/products.repo";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle/sqlite", import.meta.url));

/** A fresh in-memory store database built from the committed migrations, with its repositories. */
export function testStore() {
  const db: Db = openDatabase(":memory:", { migrationsFolder: MIGRATIONS_FOLDER });
  const outbox = createOrderOutbox(db);
  return {
    db,
    products: createProductsRepo(db),
    carts: createCartRepo(db),
    orders: createOrdersRepo(db, outbox),
    outbox,
    close: () => db.$client.close(),
  };
}

export const newCustomer = () => crypto.randomUUID();

export const ada = {
  customer: { name: "Ada Lovelace", email: "ada@example.com" },
  shippingAddress: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
  reference: "PO-1001",
};
