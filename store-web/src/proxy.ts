import { NextResponse, type NextRequest } from "next/server";

import { CORRELATION_HEADER } from "@fishtag/tracing/correlation";
import { serialiseFlags } from "@fishtag/tracing/flags";

import { CUSTOMER_COOKIE, customerCookie, isCustomerId } from "./customer/customer-cookie";
import { env } from "./env";
import { decideFlags, FLAGS_COOKIE, FLAGS_HEADER, FLAGS_QUERY, overrideCookie, parseOverride } from "./flags/flags";
import { CLIENT_HTTPS_HEADER } from "./lib/client-address";
import { inCorrelationScope } from "./lib/correlation.server";

/**
 * Fish tagging at the edge of the store: every page and server action request gets a correlation ID (the
 * client's, if valid, otherwise a fresh one). It is forwarded to the app as a request header and echoed to
 * the client on the response. Pages and actions also get the anonymous customer cookie (see
 * customer/customer-cookie.ts): minted on the first visit and added to the forwarded request too, so that
 * first render already has a cart. And their feature flags (flags/flags.ts), decided from that customer and
 * forwarded in FLAGS_HEADER, over whatever a client sent under that name.
 *
 * API routes do not pass through here: Next copies a request's body for the proxy before the route runs,
 * and the status-event endpoint must check its token before it reads a byte. `jsonRoute` tags those.
 */
export function proxy(request: NextRequest) {
  return inCorrelationScope(request.headers.get(CORRELATION_HEADER), (id) => tag(request, id));
}

function tag(request: NextRequest, id: string) {
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(CORRELATION_HEADER, id);

  const sent = request.cookies.get(CUSTOMER_COOKIE)?.value;
  const customerId = isCustomerId(sent) ? sent : crypto.randomUUID();
  const minted = customerId !== sent;
  if (minted) {
    // The other cookies pass through as sent; only an invalid customer cookie is dropped.
    const others = (request.headers.get("cookie") ?? "")
      .split(";")
      .map((part) => part.trim())
      .filter((part) => part !== "" && !part.startsWith(`${CUSTOMER_COOKIE}=`));
    requestHeaders.set("cookie", [...others, `${CUSTOMER_COOKIE}=${customerId}`].join("; "));
  }

  const development = env.NODE_ENV === "development";
  const queryOverride = development ? request.nextUrl.searchParams.get(FLAGS_QUERY) : null;
  const { flags } = decideFlags({ customerId, override: queryOverride ?? request.cookies.get(FLAGS_COOKIE)?.value, development });
  requestHeaders.set(FLAGS_HEADER, serialiseFlags(flags));

  // `request.headers` forwards to the app; `NextResponse.next({ headers })` would only reach the client.
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set(CORRELATION_HEADER, id);
  // Over https directly, or to a trusted proxy that said so (server.ts decides which).
  const https = request.nextUrl.protocol === "https:" || request.headers.get(CLIENT_HTTPS_HEADER) === "1";
  if (minted) response.cookies.set(customerCookie(customerId, https));
  // Development: an override in the address is kept for the requests that follow (the checkout's action has
  // no query of its own); an empty or malformed one clears it.
  if (queryOverride !== null) {
    const override = parseOverride(queryOverride);
    if (override) response.cookies.set(overrideCookie(override));
    else response.cookies.delete(FLAGS_COOKIE);
  }
  return response;
}

export const config = {
  // Neither the API (see above) nor static files (build assets, product images, the icon), which carry
  // no business meaning and would only add noise to the logs.
  matcher: ["/((?!api/|_next/static|_next/image|images/|favicon.ico|icon.svg).*)"],
};
