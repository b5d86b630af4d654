import { headers } from "next/headers";

import { CORRELATION_HEADER, resolveCorrelationId } from "@fishtag/tracing/correlation";
import { runWithCorrelationId } from "@fishtag/tracing/logger";

/**
 * The correlation ID of the current page, action or route request, as set by proxy.ts. Validated again
 * here because the proxy's matcher may skip a route, and then the header is whatever the client sent.
 */
export async function requestCorrelationId(): Promise<string> {
  return resolveCorrelationId((await headers()).get(CORRELATION_HEADER)).id;
}

/**
 * Runs a route handler or action body with the request's ID in scope for every log line and every
 * warehouse call inside it. (An AsyncLocalStorage context set in the proxy does not reach the render:
 * vercel/next.js#69298, so each entry point starts its own from the header.)
 */
export async function withRequestCorrelation<T>(fn: (correlationId: string) => T | Promise<T>): Promise<T> {
  const correlationId = await requestCorrelationId();
  return runWithCorrelationId(correlationId, () => fn(correlationId));
}
