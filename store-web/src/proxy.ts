import { CORRELATION_HEADER, resolveCorrelationId } from "@fishtag/tracing/correlation";
import { runWithCorrelationId } from "@fishtag/tracing/logger";
import { NextResponse, type NextRequest } from "next/server";
import { logger } from "./lib/logger.server";

/**
 * Fish tagging at the edge of the store: every page, server action and route request gets a correlation
 * ID (the client's, if valid, otherwise a fresh one). It is forwarded to the app as a request header and
 * echoed to the client on the response.
 */
export function proxy(request: NextRequest) {
  const { id, replaced } = resolveCorrelationId(request.headers.get(CORRELATION_HEADER));
  if (replaced) {
    runWithCorrelationId(id, () => {
      logger.warn({ invalidLength: replaced.length }, "invalid inbound correlation ID replaced");
    });
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(CORRELATION_HEADER, id);
  // `request.headers` forwards to the app; `NextResponse.next({ headers })` would only reach the client.
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set(CORRELATION_HEADER, id);
  return response;
}

export const config = {
  // Everything but build assets: they carry no business meaning and would only add noise to the logs.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
