import type { IncomingMessage, ServerResponse } from "node:http";

import { SpanKind, SpanStatusCode, trace, type Context } from "@opentelemetry/api";

import { CORRELATION_HEADER } from "@fishtag/tracing/correlation";
import { contextWithFlags } from "@fishtag/tracing/flags";
import { contextFrom, CORRELATION_ATTRIBUTE } from "@fishtag/tracing/spans";

import { storeMetrics } from "./metrics";
import { routeOf } from "./routes";

/**
 * What the warehouse gets from @hono/otel, for the store's own server (server.ts): a SERVER span per
 * request that continues the caller's trace (W3C traceparent and baggage; malformed ones are ignored by
 * the propagator), named by route, with its status and correlation ID; and the request in the HTTP
 * metrics. Next's own spans, and the store's action and warehouse-call spans, nest under it.
 * Returns the context the request is to be handled in.
 */
export function observeRequest(req: IncomingMessage, res: ServerResponse): Context {
  const started = performance.now();
  const method = req.method ?? "GET";
  const route = routeOf(req.url?.split("?", 1)[0] ?? "/");
  // Less any feature flags in it: those are the store's to decide (proxy.ts), never a public client's. The
  // warehouse's status events bring their order's flags, which their handler reads once their token is checked.
  const parent = contextWithFlags(contextFrom(req.headers), []);
  const span = trace
    .getTracer("fishtag")
    .startSpan(
      `${method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "http.route": route, "url.scheme": "http" } },
      parent,
    );
  const metrics = storeMetrics();
  const active = { "http.request.method": method };
  metrics.activeRequests.add(1, active);
  // "close" rather than "finish": a request the client abandoned ends its span too.
  res.once("close", () => {
    const status = res.statusCode;
    const correlationId = res.getHeader(CORRELATION_HEADER);
    if (typeof correlationId === "string") span.setAttribute(CORRELATION_ATTRIBUTE, correlationId);
    span.setAttribute("http.response.status_code", status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    if (!res.writableFinished) span.setAttribute("fishtag.aborted", true);
    span.end();
    metrics.activeRequests.add(-1, active);
    metrics.requestDuration.record((performance.now() - started) / 1000, {
      "http.request.method": method,
      "http.route": route,
      "http.response.status_code": status,
    });
  });
  return trace.setSpan(parent, span);
}
