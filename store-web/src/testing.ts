/**
 * The store's side of the contract, for the contract tests (contract/), which run it against the real
 * warehouse app: the client, the checkout, the outbox and the status-event endpoint (with `jsonRoute`,
 * the route's own entry), and the edge's flag decision, on a database built from the committed migrations. None needs a Next server.
 */
export { createCartRepo } from "./cart/cart.repo";
export { createLimiter } from "./lib/rate-limits.server";
export { decideFlags, flagsForCustomer } from "./flags/flags";
export { placeOrder, type CheckoutState, type PlaceOrderDeps } from "./checkout/place-order";
export { openDatabase, type Db } from "./db/client.server";
export { jsonRoute } from "./lib/correlation.server";
export { createOrderOutbox, type OrderOutbox } from "./order-outbox/order-outbox.repo";
export { createOrderRelay, type RelayOptions } from "./order-outbox/relay";
export { createOrdersRepo, type OrdersRepo } from "./orders/orders.repo";
export { ada, MIGRATIONS_FOLDER, newCustomer, testStore, type TestStore } from "./test/store-db";
export {
  createWarehouseClient,
  warehouseHealth,
  type Resilience,
  type WarehouseClient,
  type WarehouseOrderRequest,
} from "./warehouse/client.server";
export { handleStatusEvent } from "./warehouse/status-events.handler";
export { observeRequest } from "./observability/http-server";
