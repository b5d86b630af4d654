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

  // (CR/LF never get this far: Node's HTTP parser and the Headers class refuse them.)
  it.each([["x".repeat(129)], ['quote"'], ["a b"], ["%0d%0a"], ["<script>"]])("replaces an invalid inbound ID (%j) with a fresh one", (inbound) => {
    const response = proxy(new NextRequest("http://store.test/orders/new", { headers: { "x-correlation-id": inbound } }));

    const id = response.headers.get("x-correlation-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(forwarded(response)).toBe(id);
  });

  it("mints an ID for a request without one", () => {
    const response = proxy(new NextRequest("http://store.test/"));

    expect(response.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
