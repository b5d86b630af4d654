import { createCartRepo, type CartRepo } from "../cart/cart.repo";
import { createOrderOutbox, type OrderOutbox } from "../order-outbox/order-outbox.repo";
import { createOrdersRepo, type OrdersRepo } from "../orders/orders.repo";
import { createProductsRepo, type ProductsRepo } from "../products/products.repo";
import { db } from "./db.server";

export type Repos = { products: ProductsRepo; carts: CartRepo; orders: OrdersRepo; outbox: OrderOutbox };

// Prepared once per process, like the connection they run on (see db.server.ts).
const globalForRepos = globalThis as typeof globalThis & { __fishtagStoreRepos?: Repos };

/** The store's repositories on its database, for request-time code (pages, actions, route handlers). */
export function repos(): Repos {
  const connection = db();
  globalForRepos.__fishtagStoreRepos ??= {
    products: createProductsRepo(connection),
    carts: createCartRepo(connection),
    orders: createOrdersRepo(connection),
    outbox: createOrderOutbox(connection),
  };
  return globalForRepos.__fishtagStoreRepos;
}
