import { OpenAPIHono } from "@hono/zod-openapi";

import type { AppEnv } from "../app-env.js";
import { HTTP } from "../lib/http-status.js";
import { REFERENCE_CSS } from "./reference-css.js";
import { renderReference, type ApiDocument } from "./reference.js";

const STYLESHEET = "/docs/reference.css";

/**
 * The human-readable API reference: `/docs`, written from the same OpenAPI document as `/openapi.json`
 * (`document` is called once, on the first visit, when every route is registered). Open to anyone, as
 * the document is.
 */
export function docsRoutes(document: () => ApiDocument) {
  const router = new OpenAPIHono<AppEnv>();
  let page: string | undefined;
  router.get("/docs", async (c) => {
    page ??= String(await renderReference(document(), { openApi: "/openapi.json", dashboard: "/", stylesheet: STYLESHEET }));
    c.header("Cache-Control", "no-cache");
    return c.html(page, HTTP.OK);
  });
  router.get(STYLESHEET, (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(REFERENCE_CSS, HTTP.OK);
  });
  return router;
}
