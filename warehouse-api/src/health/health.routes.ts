import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";

import type { AppDeps, AppEnv } from "../app-env.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import { errorContent, jsonContent } from "../lib/openapi.js";

const healthz = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["Health"],
  summary: "Liveness and readiness: 200 when the database answers",
  responses: {
    [HTTP.OK]: jsonContent(z.object({ status: z.literal("ok") }), "Up"),
    [HTTP.SERVICE_UNAVAILABLE]: errorContent("Down"),
  },
});

export function healthRoutes({ db, logger }: AppDeps) {
  return new OpenAPIHono<AppEnv>().openapi(healthz, (c) => {
    try {
      db.get(sql`select 1`);
      return c.json({ status: "ok" as const }, HTTP.OK);
    } catch (error) {
      logger.error({ err: error }, "health check: database did not answer");
      return jsonError(c, HTTP.SERVICE_UNAVAILABLE, "unavailable", "The database did not answer.");
    }
  });
}
