import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "./proxy";

// Next hands headers set with `NextResponse.next({ request: { headers } })` to the app under this prefix.
const forwarded = (response: Response) => response.headers.get("x-middleware-request-x-correlation-id");

describe("proxy", () => {
  it("keeps a valid inbound correlation ID, forwards it to the app and echoes it to the client", () => {
    const response = proxy(new NextRequest("http://store.test/orders/new", { headers: { "x-correlation-id": "from-client.1" } }));

    expect(response.headers.get("x-correlation-id")).toBe("from-client.1");
    expect(forwarded(response)).toBe("from-client.1");
  });

  it.each([["a\r\nb"], ["x".repeat(129)], ["quote\""]])("replaces an invalid inbound ID (%j) with a fresh one", (inbound) => {
    const headers = new Headers();
    // Headers refuses CR/LF itself, so the raw value is smuggled in the way a proxy in front might.
    try {
      headers.set("x-correlation-id", inbound);
    } catch {
      headers.set("x-correlation-id", encodeURIComponent(inbound));
    }
    const response = proxy(new NextRequest("http://store.test/orders/new", { headers }));

    const id = response.headers.get("x-correlation-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(forwarded(response)).toBe(id);
  });

  it("mints an ID for a request without one", () => {
    const response = proxy(new NextRequest("http://store.test/"));

    expect(response.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
