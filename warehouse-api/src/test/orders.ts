import { HTTP } from "../lib/http-status.js";
import { fingerprint } from "../orders/idempotency.js";
import type { OrdersRepo } from "../orders/orders.repo.js";
import type { CreateOrderInput, Order } from "../orders/orders.schemas.js";

/**
 * Stores an order the way order creation does, under a key of its own: for repository tests, which need
 * orders in every status and from any request, not the answers over HTTP. The answer kept with the key is
 * never replayed here, so it is the plain 201 whatever the status.
 */
export async function storeOrder(repo: OrdersRepo, input: CreateOrderInput, meta: Parameters<OrdersRepo["createOnce"]>[1]): Promise<Order> {
  const result = await repo.createOnce(input, meta, {
    key: crypto.randomUUID(),
    fingerprint: fingerprint(input),
    answer: (order) => ({ status: HTTP.CREATED, body: order }),
  });
  if (result.kind !== "created") throw new Error(`a fresh Idempotency-Key was ${result.kind}`);
  return result.order;
}
