import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

import { CLIENT_HTTPS_HEADER } from "./lib/client-address";
import { config, proxy } from "./proxy";

// Next hands headers set with `NextResponse.next({ request: { headers } })` to the app under this prefix.
const forwarded = (response: Response) => response.headers.get("x-middleware-request-x-correlation-id");
const forwardedFlags = (response: Response) => response.headers.get("x-middleware-request-x-fishtag-flags");

// Two customers on either side of the priority lane's 50% (flags/flags.test.ts pins their buckets).
const PRIORITY_CUSTOMER = "11111111-1111-4111-8111-111111111111";
const PLAIN_CUSTOMER = "00000000-0000-4000-8000-000000000000";

describe("proxy", () => {
  it("keeps a valid inbound correlation ID, forwards it to the app and echoes it to the client", () => {
    const response = proxy(new NextRequest("http://store.test/orders/new", { headers: { "x-correlation-id": "from-client.1" } }));

    expect(response.headers.get("x-correlation-id")).toBe("from-client.1");
    expect(forwarded(response)).toBe("from-client.1");
  });

  // (CR/LF never get this far: Node's HTTP parser and the Headers class refuse them.)
  it.each([["x".repeat(129)], ['quote"'], ["a b"], ["%0d%0a"], ["<script>"]])(
    "replaces an invalid inbound ID (%j) with a fresh one",
    (inbound) => {
      const response = proxy(new NextRequest("http://store.test/orders/new", { headers: { "x-correlation-id": inbound } }));

      const id = response.headers.get("x-correlation-id");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(forwarded(response)).toBe(id);
    },
  );

  it("mints an ID for a request without one", () => {
    const response = proxy(new NextRequest("http://store.test/"));

    expect(response.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gives a first-time visitor a customer cookie, on the response and on the request the page sees", () => {
    const response = proxy(new NextRequest("http://store.test/cart", { headers: { cookie: "theme=dark" } }));

    const setCookie = response.headers.get("set-cookie") ?? "";
    const id = /fishtag_customer=([0-9a-f-]{36})/.exec(setCookie)?.[1];
    expect(id).toBeDefined();
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=lax/i);
    expect(setCookie).toMatch(/Max-Age=34560000/);
    expect(response.headers.get("x-middleware-request-cookie")).toBe(`theme=dark; fishtag_customer=${id}`);
  });

  it("keeps a returning customer's cookie and replaces one the store could not have made", () => {
    const known = crypto.randomUUID();
    const returning = proxy(new NextRequest("http://store.test/", { headers: { cookie: `fishtag_customer=${known}` } }));
    expect(returning.headers.get("set-cookie")).toBeNull();

    const forged = proxy(new NextRequest("http://store.test/", { headers: { cookie: "fishtag_customer=../../etc" } }));
    expect(forged.headers.get("set-cookie")).toMatch(/fishtag_customer=[0-9a-f-]{36}/);
    expect(forged.headers.get("x-middleware-request-cookie")).not.toContain("../../etc");
  });

  it("makes the customer cookie Secure over https, or when server.ts says a trusted proxy saw https", () => {
    const secure = (request: NextRequest) => /;\s*Secure/i.test(proxy(request).headers.get("set-cookie") ?? "");

    expect(secure(new NextRequest("http://store.test/"))).toBe(false);
    expect(secure(new NextRequest("https://store.test/"))).toBe(true);
    expect(secure(new NextRequest("http://store.test/", { headers: { [CLIENT_HTTPS_HEADER]: "1" } }))).toBe(true);
  });

  it("runs on pages and actions, never on the API (whose bodies Next would copy for it) or build assets", () => {
    const runsOn = (url: string) => unstable_doesMiddlewareMatch({ config, url });

    expect(["/", "/orders/new", "/orders/ST-000001", "/cart"].map(runsOn)).toEqual([true, true, true, true]);
    expect(["/api/warehouse-events", "/api/health", "/api/orders/ST-000001", "/_next/static/chunk.js"].map(runsOn)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("forwards the customer's flags to the app, the same on every request, over whatever a client sent under that name", () => {
    const flagsOf = (customerId: string, headers: Record<string, string> = {}) =>
      forwardedFlags(
        proxy(new NextRequest("http://store.test/orders/new", { headers: { cookie: `fishtag_customer=${customerId}`, ...headers } })),
      );

    expect([flagsOf(PRIORITY_CUSTOMER), flagsOf(PRIORITY_CUSTOMER)]).toEqual(["priority-lane", "priority-lane"]);
    expect(flagsOf(PLAIN_CUSTOMER, { "x-fishtag-flags": "priority-lane" })).toBe("");
    expect(flagsOf(PLAIN_CUSTOMER, { baggage: "fishtag.flags=priority-lane" })).toBe("");
  });

  it("gives a first-time visitor the flags of the customer id it mints for them", () => {
    const response = proxy(new NextRequest("http://store.test/"));
    const id = /fishtag_customer=([0-9a-f-]{36})/.exec(response.headers.get("set-cookie") ?? "")?.[1] ?? "";

    const returning = proxy(new NextRequest("http://store.test/", { headers: { cookie: `fishtag_customer=${id}` } }));
    expect(forwardedFlags(returning)).toBe(forwardedFlags(response));
  });

  it("ignores the development override outside development: neither the query nor the cookie changes a customer's flags", () => {
    const response = proxy(
      new NextRequest("http://store.test/orders/new?flags=none", {
        headers: { cookie: `fishtag_customer=${PRIORITY_CUSTOMER}; fishtag_flags=none` },
      }),
    );
    expect(forwardedFlags(response)).toBe("priority-lane");
    expect(response.headers.get("set-cookie")).toBeNull();

    const plain = proxy(
      new NextRequest("http://store.test/?flags=priority-lane", {
        headers: { cookie: `fishtag_customer=${PLAIN_CUSTOMER}; fishtag_flags=priority-lane` },
      }),
    );
    expect(forwardedFlags(plain)).toBe("");
  });
});

describe("proxy in development", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  /** The proxy as `npm run dev` loads it: the env module reads NODE_ENV when it is first imported. */
  async function developmentProxy() {
    vi.resetModules();
    vi.stubEnv("NODE_ENV", "development");
    return (await import("./proxy")).proxy;
  }

  it("lets ?flags= override the customer's flags, and keeps the override in a cookie for the checkout's action", async () => {
    const devProxy = await developmentProxy();

    const set = devProxy(
      new NextRequest("http://store.test/products?flags=priority-lane", { headers: { cookie: `fishtag_customer=${PLAIN_CUSTOMER}` } }),
    );
    expect(forwardedFlags(set)).toBe("priority-lane");
    expect(set.headers.get("set-cookie")).toMatch(/fishtag_flags=priority-lane/);

    const action = devProxy(
      new NextRequest("http://store.test/orders/new", {
        headers: { cookie: `fishtag_customer=${PLAIN_CUSTOMER}; fishtag_flags=priority-lane` },
      }),
    );
    expect(forwardedFlags(action)).toBe("priority-lane");

    const none = devProxy(
      new NextRequest("http://store.test/?flags=none", { headers: { cookie: `fishtag_customer=${PRIORITY_CUSTOMER}` } }),
    );
    expect(forwardedFlags(none)).toBe("");
    expect(none.headers.get("set-cookie")).toMatch(/fishtag_flags=none/);
  });

  it("clears the override with an empty ?flags=, and never takes one it cannot read", async () => {
    const devProxy = await developmentProxy();

    const cleared = devProxy(
      new NextRequest("http://store.test/?flags=", {
        headers: { cookie: `fishtag_customer=${PLAIN_CUSTOMER}; fishtag_flags=priority-lane` },
      }),
    );
    expect(forwardedFlags(cleared)).toBe("");
    expect(cleared.headers.get("set-cookie")).toMatch(/fishtag_flags=;/);

    const junk = devProxy(
      new NextRequest("http://store.test/?flags=%3Cscript%3E", { headers: { cookie: `fishtag_customer=${PRIORITY_CUSTOMER}` } }),
    );
    expect(forwardedFlags(junk)).toBe("priority-lane");
  });
});
