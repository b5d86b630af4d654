import { createCartRepo, type CartRepo } from "./cart/cart.repo";
import { db } from "./db/db.server";
import { remember } from "./lib/singleton.server";
import { createOrderOutbox, type OrderOutbox } from "./order-outbox/order-outbox.repo";
import { createOrdersRepo, type OrdersRepo } from "./orders/orders.repo";
import { createProductsRepo, type ProductsRepo } from "./products/products.repo";

export type Repos = { products: ProductsRepo; carts: CartRepo; orders: OrdersRepo; outbox: OrderOutbox };

/** The store's repositories on its database, prepared once per process like the connection they run on. */
export function repos(): Repos {
  return remember("repos", () => {
    const connection = db();
    const outbox = createOrderOutbox(connection);
    return {
      products: createProductsRepo(connection),
      carts: createCartRepo(connection),
      orders: createOrdersRepo(connection, outbox),
      outbox,
    };
  });
}
