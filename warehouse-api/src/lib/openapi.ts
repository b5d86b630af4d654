import type { RouteConfig, RouteHandler, z } from "@hono/zod-openapi";
import type { Hono, MiddlewareHandler } from "hono";

import type { AppEnv } from "../app-env.js";
import { ErrorSchema } from "./errors.js";

// One set of pieces for every route module, so that each reads the same: definitions (createRoute, at
// module scope) built with the content helpers, handlers typed from them, and wiring with `gate`.

/** A handler typed from its route: the validated input it reads and the statuses and bodies it may answer. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

/**
 * A request body that must be sent: without `required`, @hono/zod-openapi validates only a request labelled
 * JSON, and hands the handler `{}` for any other.
 */
export const jsonContentRequired = <T extends z.ZodType>(schema: T, description: string) => ({
  ...jsonContent(schema, description),
  required: true,
});

/** A response in the API's one error shape. */
export const errorContent = (description: string) => jsonContent(ErrorSchema, description);

/**
 * Puts `middleware` in front of one route: what createRoute's own `middleware` does, for middleware made
 * from the app's deps, which a module-scope definition cannot hold. Call it before `router.openapi(route,
 * …)`: Hono runs the handlers matching a request in the order they were added, so this middleware runs
 * first, then the route's validators and handler. The route's `security` stays on its definition, where
 * the OpenAPI document reads it.
 */
export function gate(
  router: Hono<AppEnv>,
  route: Pick<RouteConfig, "method"> & { getRoutingPath(): string },
  ...middleware: [MiddlewareHandler<AppEnv>, ...MiddlewareHandler<AppEnv>[]]
) {
  router.on(route.method, route.getRoutingPath(), ...middleware);
}
