import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import type { AppDeps, AppEnv } from "../app-env.js";
import { gate } from "../lib/openapi.js";
import type { PasswordGuard } from "./password-guard.js";
import { sessionHandlers } from "./session.handlers.js";
import * as routes from "./session.openapi.js";
import type { StaffRepo } from "./staff.repo.js";

export function sessionRoutes(deps: AppDeps, staff: StaffRepo, guard: PasswordGuard, staffGate: MiddlewareHandler<AppEnv>) {
  const handlers = sessionHandlers(deps, staff, guard);
  const router = new OpenAPIHono<AppEnv>();

  // Signing in is open to anyone (and throttled), and so is asking who is signed in; ending a session needs one.
  gate(router, routes.signOut, staffGate);

  return router.openapi(routes.signIn, handlers.signIn).openapi(routes.current, handlers.current).openapi(routes.signOut, handlers.signOut);
}
