import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import type { AppDeps, AppEnv } from "../app-env.js";
import { gate } from "../lib/openapi.js";
import { requireStore } from "../middleware/require-store.js";
import { storeTokenGuard } from "../middleware/token-guard.js";
import { idempotencyGate } from "./idempotency.js";
import { ordersHandlers } from "./orders.handlers.js";
import * as routes from "./orders.openapi.js";

export function ordersRoutes(deps: AppDeps, staffGate: MiddlewareHandler<AppEnv>) {
  const handlers = ordersHandlers(deps);
  const router = new OpenAPIHono<AppEnv>();

  // Authentication first: an unauthenticated call must not hold (or learn anything about) an Idempotency-Key.
  gate(router, routes.createOrder, requireStore(deps.storePublicKey, deps.logger, storeTokenGuard(deps.db)), idempotencyGate(deps.logger));
  for (const route of [routes.listOrders, routes.getOrder, routes.getEvents, routes.transition]) gate(router, route, staffGate);

  return router
    .openapi(routes.createOrder, handlers.createOrder)
    .openapi(routes.listOrders, handlers.listOrders)
    .openapi(routes.getOrder, handlers.getOrder)
    .openapi(routes.getEvents, handlers.getEvents)
    .openapi(routes.transition, handlers.transition);
}
