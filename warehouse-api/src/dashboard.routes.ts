import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { serveStatic } from "@hono/node-server/serve-static";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";

import type { AppEnv } from "./app-env.js";
import { DASHBOARD_PAGES } from "./dashboard-pages.js";

/** Sets Cache-Control on a file that was found (a 404 must not be cached for a year). */
const cacheFor = (value: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (c.res.ok) c.res.headers.set("Cache-Control", value);
  });

/**
 * The staff dashboard, a React app built by Vite into `dir`: its page at each of its URLs (the list, an
 * order, the accounts, the password form), its assets under `/assets`. The page itself calls the staff
 * API, which is where sign-in is enforced.
 */
export function dashboardRoutes(dir: string) {
  const dashboard = new OpenAPIHono<AppEnv>();
  // Vite puts a content hash in every asset name: a changed file is a new URL, so cache for good.
  dashboard.use("/assets/*", cacheFor("public, max-age=31536000, immutable"), serveStatic({ root: dir }));
  // The page names the current assets: always revalidate it.
  const page = serveStatic<AppEnv>({ path: join(dir, "index.html") });
  for (const path of Object.values(DASHBOARD_PAGES)) dashboard.get(path, cacheFor("no-cache"), page);
  return dashboard;
}

/**
 * A page the dashboard does not have, asked for by a browser (a mistyped or outdated link): the dashboard
 * itself, with status 404, which shows its own "Page not found" with the way back, instead of the API's
 * JSON. Everything else (a client of the API, an asset) keeps the API's 404: undefined here.
 */
export async function dashboardNotFound(dir: string, c: Context<AppEnv>): Promise<Response | undefined> {
  const { method, path } = c.req;
  if (method !== "GET" || path.startsWith("/api/") || path.startsWith("/assets/")) return undefined;
  if (!(c.req.header("accept") ?? "").includes("text/html")) return undefined;
  try {
    const page = await readFile(join(dir, "index.html"), "utf8");
    c.header("Cache-Control", "no-cache");
    return c.html(page, 404);
  } catch {
    return undefined;
  }
}
