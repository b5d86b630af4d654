import { createCartRepo, type CartRepo } from "./cart/cart.repo";
import { createPostgresCartRepo } from "./cart/cart.repo.postgres";
import type { Database } from "./db/client.server";
import { createOrderOutbox, type OrderOutbox } from "./order-outbox/order-outbox.repo";
import { createPostgresOrderOutbox } from "./order-outbox/order-outbox.repo.postgres";
import { createOrdersRepo, type OrdersRepo } from "./orders/orders.repo";
import { createPostgresOrdersRepo } from "./orders/orders.repo.postgres";
import { createProductsRepo, type ProductsRepo } from "./products/products.repo";
import { createPostgresProductsRepo } from "./products/products.repo.postgres";

export type Repos = { products: ProductsRepo; carts: CartRepo; orders: OrdersRepo; outbox: OrderOutbox };

/**
 * The repositories on a database, in its dialect (ADR 0015): one implementation per dialect behind one API.
 * `deliveryBudgetMs` (WAREHOUSE_TIMEOUT_MS) bounds one delivery, and so the
 * checkout's lease on its outbox row and a relay's claim.
 */
export function reposOn(opened: Database, deliveryBudgetMs: number): Repos {
  if (opened.dialect === "postgres") {
    const outbox = createPostgresOrderOutbox(opened.db, deliveryBudgetMs);
    return {
      products: createPostgresProductsRepo(opened.db),
      carts: createPostgresCartRepo(opened.db),
      orders: createPostgresOrdersRepo(opened.db, outbox),
      outbox,
    };
  }
  const outbox = createOrderOutbox(opened.db, deliveryBudgetMs);
  return {
    products: createProductsRepo(opened.db),
    carts: createCartRepo(opened.db),
    orders: createOrdersRepo(opened.db, outbox),
    outbox,
  };
}
