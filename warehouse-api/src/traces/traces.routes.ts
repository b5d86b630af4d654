import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import type { AppDeps, AppEnv } from "../app-env.js";
import { gate } from "../lib/openapi.js";
import { tracesHandlers } from "./traces.handlers.js";
import * as routes from "./traces.openapi.js";

export function tracesRoutes(deps: AppDeps, staffGate: MiddlewareHandler<AppEnv>) {
  const handlers = tracesHandlers(deps);
  const router = new OpenAPIHono<AppEnv>();
  gate(router, routes.getTraces, staffGate);
  return router.openapi(routes.getTraces, handlers.getTraces);
}
