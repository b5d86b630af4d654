import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";

import type { AppDeps, AppEnv } from "../app-env.js";
import { readiness } from "../db/client.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import { errorContent, jsonContent, type AppRouteHandler } from "../lib/openapi.js";

const up = (summary: string, path: string) =>
  createRoute({
    method: "get",
    path,
    tags: ["Health"],
    summary,
    responses: {
      [HTTP.OK]: jsonContent(z.object({ status: z.literal("ok") }), "Up"),
      [HTTP.SERVICE_UNAVAILABLE]: errorContent("Not ready, and why"),
    },
  });

const livez = up("Liveness: 200 while the process answers at all", "/livez");
const readyz = up(
  "Readiness: 200 when the database answers and has every migration, and the status-event relay runs (when configured)",
  "/readyz",
);
const healthz = up("The same check as /readyz, under its older name", "/healthz");

export function healthRoutes({ db, logger, relayRunning }: AppDeps) {
  const database = readiness(db, (error) => {
    logger.error({ err: error }, "readiness: the database did not answer");
  });
  /** Why the warehouse should not get traffic now, or undefined when it should. */
  async function notReady(): Promise<string | undefined> {
    return (await database()) ?? (relayRunning && !relayRunning() ? "The status-event relay is not running." : undefined);
  }

  const ready: AppRouteHandler<typeof readyz> = async (c) => {
    const reason = await notReady();
    return reason ? jsonError(c, HTTP.SERVICE_UNAVAILABLE, "unavailable", reason) : c.json({ status: "ok" as const }, HTTP.OK);
  };

  return new OpenAPIHono<AppEnv>()
    .openapi(livez, (c) => c.json({ status: "ok" as const }, HTTP.OK))
    .openapi(readyz, ready)
    .openapi(healthz, ready);
}
