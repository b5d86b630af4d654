import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { staffSessions, staffUsers } from "../db/schema.js";
import { jsonRequest, orderInput, orderRequest } from "../test/fixtures.js";
import { createTestWarehouse, TEST_STAFF, type TestWarehouse } from "../testing.js";
import { createStaffRepo } from "./staff.repo.js";

let warehouse: TestWarehouse;
beforeEach(async () => {
  warehouse = await createTestWarehouse();
});
afterEach(async () => {
  await warehouse.close();
});

const signIn = (email: string, password: string) =>
  warehouse.app.request("/api/session", jsonRequest({ email, password }, { "x-correlation-id": "sign-in" }));

async function placedOrderId(): Promise<string> {
  const res = await warehouse.app.request("/api/orders", await orderRequest(orderInput()));
  return ((await res.json()) as { id: string }).id;
}

describe("staff API without a session", () => {
  it("answers 401 on every staff route, while order creation for the Store stays open", async () => {
    const id = await placedOrderId();
    const calls: [string, RequestInit][] = [
      ["/api/session", { method: "DELETE" }],
      ["/api/orders", {}],
      [`/api/orders/${id}`, {}],
      [`/api/orders/${id}/events`, {}],
      [`/api/orders/${id}/transitions`, jsonRequest({ to: "picking" })],
    ];
    for (const [path, init] of calls) {
      const headers = new Headers(init.headers);
      headers.set("x-correlation-id", "anon");
      const res = await warehouse.app.request(path, { ...init, headers });
      expect(res.status, `${init.method ?? "GET"} ${path}`).toBe(401);
      expect(await res.json()).toEqual({ error: "unauthenticated", message: "Sign in to continue.", correlationId: "anon" });
    }
  });

  it("refuses a forged session cookie", async () => {
    const res = await warehouse.app.request("/api/orders", { headers: { cookie: "fishtag_session=forged" } });
    expect(res.status).toBe(401);
  });

  it("says who is signed in, nobody included, with a 200: a signed-out dashboard logs no error asking", async () => {
    for (const cookie of [undefined, "fishtag_session=forged"]) {
      const res = await warehouse.app.request("/api/session", { headers: cookie ? { cookie } : {} });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ user: null, csrfToken: null });
    }
  });
});

// scrypt is slow on purpose (about 50 ms and 32 MiB per check), which adds up while CI builds the store
// on the same two cores. The throttle's own tests are in sign-in-throttle.test.ts.
describe("signing in", { timeout: 30_000 }, () => {
  it("sets an HttpOnly, SameSite=Strict session cookie and returns the staff member and a CSRF token", async () => {
    const { id } = await createStaffRepo(warehouse.database).addUser(TEST_STAFF);
    const res = await signIn("STAFF@warehouse.test", TEST_STAFF.password);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      user: { id, email: TEST_STAFF.email, name: TEST_STAFF.name, role: "staff" },
      csrfToken: expect.stringMatching(/^[\w-]{43}$/),
    });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^fishtag_session=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain http here; https gets Secure
  });

  it("marks the cookie Secure behind a trusted TLS-terminating proxy, and only there", async () => {
    const viaProxy = (proxied: TestWarehouse) =>
      proxied.app.request(
        "/api/session",
        jsonRequest(
          { email: TEST_STAFF.email, password: TEST_STAFF.password },
          { "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https" },
        ),
      );
    const behindProxy = await createTestWarehouse({ trustedProxies: { kind: "hops", hops: 1 } });
    try {
      await createStaffRepo(behindProxy.database).addUser(TEST_STAFF);
      await createStaffRepo(warehouse.database).addUser(TEST_STAFF);

      expect((await viaProxy(behindProxy)).headers.get("set-cookie")).toMatch(/; Secure/);
      // Without a trusted proxy, the header is only the client's word.
      expect((await viaProxy(warehouse)).headers.get("set-cookie")).not.toMatch(/Secure/);
    } finally {
      await behindProxy.close();
    }
  });

  it.each([
    ["a wrong password", TEST_STAFF.email, "wrong password"],
    ["an unknown account", "nobody@warehouse.test", TEST_STAFF.password],
  ])("answers 401 to %s with the same message", async (_, email, password) => {
    await createStaffRepo(warehouse.database).addUser(TEST_STAFF);
    const res = await signIn(email, password);

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_credentials", message: "Wrong email or password.", correlationId: "sign-in" });
  });

  it("stores only a hash of the password and of the session token", async () => {
    await createStaffRepo(warehouse.database).addUser(TEST_STAFF);
    const res = await signIn(TEST_STAFF.email, TEST_STAFF.password);
    const token = (res.headers.get("set-cookie") ?? "").split(";")[0]?.split("=")[1] ?? "";

    const dump = JSON.stringify([await warehouse.rows(staffUsers), await warehouse.rows(staffSessions)]);
    expect(dump).not.toContain(TEST_STAFF.password);
    expect(dump).not.toContain(token);
    expect(dump).toMatch(/"passwordHash":"scrypt\$32768\$8\$1\$/);
  });
});

describe("a signed-in session", () => {
  it("expires: an expired session row is refused", async () => {
    const headers = await warehouse.staffHeaders();
    expect((await warehouse.app.request("/api/orders", { headers })).status).toBe(200);
    expect(await (await warehouse.app.request("/api/session", { headers })).json()).toMatchObject({ user: { email: TEST_STAFF.email } });

    // Its expiry moved back to its start, a moment ago.
    await warehouse.execute("update staff_sessions set expires_at = created_at");
    expect((await warehouse.app.request("/api/orders", { headers })).status).toBe(401);
    expect(await (await warehouse.app.request("/api/session", { headers })).json()).toEqual({ user: null, csrfToken: null });
  });

  it("needs the CSRF token for state-changing calls", async () => {
    const { cookie, "x-csrf-token": csrf } = await warehouse.staffHeaders();
    const id = await placedOrderId();
    const move = (headers: Record<string, string>) =>
      warehouse.app.request(`/api/orders/${id}/transitions`, jsonRequest({ to: "picking" }, { cookie, ...headers }));

    expect((await move({})).status).toBe(403);
    expect(await (await move({ "x-csrf-token": "not-the-token" })).json()).toMatchObject({ error: "csrf_failed" });
    expect((await warehouse.app.request("/api/session", { method: "DELETE", headers: { cookie } })).status).toBe(403);
    expect((await move({ "x-csrf-token": csrf })).status).toBe(200);
  });

  it("ends on sign-out: the same cookie no longer opens the staff API", async () => {
    const headers = await warehouse.staffHeaders();
    const res = await warehouse.app.request("/api/session", { method: "DELETE", headers });

    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/fishtag_session=;/);
    expect((await warehouse.app.request("/api/orders", { headers })).status).toBe(401);
    expect(await warehouse.rows(staffSessions)).toEqual([]);
  });
});
