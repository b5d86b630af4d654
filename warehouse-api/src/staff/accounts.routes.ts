import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import type { AppDeps, AppEnv } from "../app-env.js";
import { gate } from "../lib/openapi.js";
import { accountsHandlers } from "./accounts.handlers.js";
import * as routes from "./accounts.openapi.js";
import type { PasswordGuard } from "./password-guard.js";
import { requireAdmin } from "./require-staff.js";
import type { StaffRepo } from "./staff.repo.js";

export function accountsRoutes(deps: AppDeps, staff: StaffRepo, guard: PasswordGuard, staffGate: MiddlewareHandler<AppEnv>) {
  const handlers = accountsHandlers(deps, staff, guard);
  const router = new OpenAPIHono<AppEnv>();

  // A session first (401), then an admin's (403), then the call is validated.
  for (const route of [routes.listAccounts, routes.addAccount, routes.changeAccount, routes.resetPassword])
    gate(router, route, staffGate, requireAdmin);
  gate(router, routes.changeOwnPassword, staffGate);

  return router
    .openapi(routes.listAccounts, handlers.listAccounts)
    .openapi(routes.addAccount, handlers.addAccount)
    .openapi(routes.changeAccount, handlers.changeAccount)
    .openapi(routes.resetPassword, handlers.resetPassword)
    .openapi(routes.changeOwnPassword, handlers.changeOwnPassword);
}
