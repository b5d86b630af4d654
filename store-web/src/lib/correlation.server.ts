import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";

import { CORRELATION_HEADER, resolveCorrelationId } from "@fishtag/tracing/correlation";
import { parseFlags, runWithFlags } from "@fishtag/tracing/flags";
import { runWithCorrelationId } from "@fishtag/tracing/logger";
import { inSpan } from "@fishtag/tracing/spans";

import { FLAGS_HEADER } from "../flags/flags";
import { errorResponse, HTTP } from "./http";
import { logger } from "./logger.server";

/**
 * The one way into a correlation scope in the store, for every entry point: the proxy, actions, route
 * handlers. A valid inbound ID is kept, anything else replaced (with a warning that logs only its
 * length); `fn` runs with the ID in scope for every log line and every warehouse call inside it.
 * (A scope set in the proxy does not reach the render: vercel/next.js#69298. So each entry point enters
 * its own from the header, which the proxy has already made valid where it runs.)
 */
export function inCorrelationScope<T>(inbound: string | null | undefined, fn: (correlationId: string) => T): T {
  const { id, replaced } = resolveCorrelationId(inbound);
  return runWithCorrelationId(id, () => {
    if (replaced) logger.warn({ invalidLength: replaced.length }, "invalid inbound correlation ID replaced");
    return fn(id);
  });
}

/** The correlation ID of the current page or action request, for a page that shows it. */
export async function requestCorrelationId(): Promise<string> {
  return resolveCorrelationId((await headers()).get(CORRELATION_HEADER)).id;
}

/**
 * A server action's body, in its request's correlation scope and in a span of its own (`action checkout`):
 * Next makes none for an action, and it is the step a trace of a click is about. It runs with the flags
 * proxy.ts decided for the customer in its baggage, so the warehouse calls it makes carry them.
 */
export async function withRequestCorrelation<T>(action: string, fn: (correlationId: string) => T | Promise<T>): Promise<T> {
  const requestHeaders = await headers();
  const inbound = requestHeaders.get(CORRELATION_HEADER);
  // The proxy's own header (it writes over whatever a client sent), so no warning is owed for a bad one.
  const { flags } = parseFlags(requestHeaders.get(FLAGS_HEADER) ?? undefined);
  return inCorrelationScope(inbound, (correlationId) =>
    runWithFlags(flags, () => inSpan(`action ${action}`, { attributes: { "fishtag.action": action } }, () => fn(correlationId))),
  );
}

/**
 * A JSON route handler: runs in its request's correlation scope, echoes the ID on its answer, and whatever
 * it throws becomes a logged 500 in the API's one error shape, never Next's HTML error page. (Next's own signals, such as
 * `notFound()`, are thrown on for Next to handle.) The context is Next's second argument: the params.
 */
export function jsonRoute<Context = unknown>(
  handler: (request: Request, context: Context, correlationId: string) => Response | Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return (request, context) =>
    inCorrelationScope(request.headers.get(CORRELATION_HEADER), async (correlationId) => {
      let response: Response;
      try {
        response = await handler(request, context, correlationId);
      } catch (error) {
        unstable_rethrow(error);
        logger.error({ err: error, path: new URL(request.url).pathname }, "route failed");
        response = errorResponse(HTTP.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong.", correlationId);
      }
      // The API is not behind the proxy (proxy.ts says why): the ID is echoed here.
      response.headers.set(CORRELATION_HEADER, correlationId);
      return response;
    });
}
