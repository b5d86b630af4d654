import { createMiddleware } from "hono/factory";

import { CORRELATION_HEADER, resolveCorrelationId } from "@fishtag/tracing/correlation";
import { runWithCorrelationId, type Logger } from "@fishtag/tracing/logger";

import type { AppEnv } from "../app-env.js";

/**
 * Fish tagging for every request: accept a valid inbound `X-Correlation-Id` or mint one, echo it on
 * the response, and run the rest of the request inside its logging context. Ends with the one access
 * line per request. (Hono's own requestId middleware has a different charset and no replacement warning.)
 */
export function correlation(logger: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const { id, replaced } = resolveCorrelationId(c.req.header(CORRELATION_HEADER));
    c.set("correlationId", id);
    // Set before the handler runs: every response built from the context (errors included) carries it,
    // and @hono/node-server keeps its fast response path, which a header added afterwards would undo.
    c.header(CORRELATION_HEADER, id);

    await runWithCorrelationId(id, async () => {
      if (replaced) logger.warn({ invalidLength: replaced.length }, "invalid inbound correlation ID replaced");
      await next();
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      // The path as sent, still percent-encoded: decoded, a client could put control characters in it.
      const path = new URL(c.req.url).pathname;
      // Health probes come every few seconds from the store and the orchestrator: not worth an info line each.
      const level = path === "/healthz" ? "debug" : "info";
      logger[level]({ method: c.req.method, path, status: c.res.status, durationMs }, "request completed");
    });
  });
}
