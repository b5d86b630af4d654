// Every route in the warehouse's own OpenAPI document, against every kind of caller: the table a reviewer
// wants when asking "who can call what". A route added without a gate fails here until it is put in the
// right row: the document is the list, so nothing can be left out of the matrix by forgetting it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { jsonRequest, orderInput, orderRequest } from "./test/fixtures.js";
import { createTestWarehouse, storeAuthorization, TEST_STAFF } from "./testing.js";

const warehouse = await createTestWarehouse();
beforeAll(async () => {
  await warehouse.staffHeaders(); // creates TEST_STAFF, whom the sign-in rows sign in as
});
afterAll(async () => {
  await warehouse.close();
});

const CALLERS = ["nobody", "store", "staff", "admin"] as const;
type Caller = (typeof CALLERS)[number];
const EVERYONE = CALLERS;
const STAFF = ["staff", "admin"] as const;
const ADMINS = ["admin"] as const;

/**
 * Who may call each documented route. Anything else must get 401 in the API's error shape, but a staff
 * member on an admin's route: signed in, not allowed, 403.
 */
const ALLOWED: Record<string, readonly Caller[]> = {
  "GET /healthz": EVERYONE,
  "GET /livez": EVERYONE,
  "GET /readyz": EVERYONE,
  "POST /api/orders": ["store"],
  "GET /api/orders": STAFF,
  "GET /api/orders/{id}": STAFF,
  "GET /api/orders/{id}/events": STAFF,
  "POST /api/orders/{id}/transitions": STAFF,
  // Spans name who did what and where it failed: for staff, like the orders they belong to.
  "GET /api/traces": STAFF,
  // Signing in is how a person becomes staff, so anyone may try (throttled), and anyone may ask who is
  // signed in (nobody, perhaps); ending a session needs one.
  "POST /api/session": EVERYONE,
  "GET /api/session": EVERYONE,
  "DELETE /api/session": STAFF,
  "GET /api/staff": ADMINS,
  "POST /api/staff": ADMINS,
  "PATCH /api/staff/{id}": ADMINS,
  "POST /api/staff/{id}/password": ADMINS,
  "POST /api/account/password": STAFF,
};

const isAdminsOnly = (route: string) => !ALLOWED[route]?.includes("staff") && ALLOWED[route]?.includes("admin") === true;

/** What a caller not allowed on a route gets: 401 without a session, 403 with a session that is not an admin's. */
const refusal = (route: string, caller: Caller) => (caller === "staff" && isAdminsOnly(route) ? 403 : 401);

type OpenApiDocument = { paths: Record<string, Record<string, unknown>> };

async function documentedRoutes(): Promise<string[]> {
  const document = (await (await warehouse.app.request("/openapi.json")).json()) as OpenApiDocument;
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

async function headersFor(caller: Caller): Promise<Record<string, string>> {
  if (caller === "store") return { authorization: await storeAuthorization() };
  if (caller === "staff") return { ...(await warehouse.staffHeaders()) };
  if (caller === "admin") return { ...(await warehouse.adminHeaders()) };
  return {};
}

/** A valid body for each route that takes one, so that only the caller decides. */
function bodyFor(route: string): Record<string, unknown> | undefined {
  switch (route) {
    case "POST /api/session":
      return { email: TEST_STAFF.email, password: TEST_STAFF.password };
    case "POST /api/orders/{id}/transitions":
      return { to: "picking" };
    case "POST /api/staff":
      return { name: "New Hire", email: `hire-${crypto.randomUUID()}@warehouse.test`, role: "staff", password: "a long first password" };
    case "PATCH /api/staff/{id}":
      return { disabled: false };
    case "POST /api/staff/{id}/password":
      return { password: "a long new password" };
    case "POST /api/account/password":
      // Not the caller's password (422): a right one would end the caller's other sessions.
      return { currentPassword: "not the current password", newPassword: "a long new password" };
    default:
      return undefined;
  }
}

/** A request that would pass validation, so that only the caller decides between 401 and the rest. */
async function call(route: string, caller: Caller): Promise<Response> {
  const [method = "GET", template = "/"] = route.split(" ");
  const id = crypto.randomUUID();
  const path = template.replace("{id}", id) + (route === "GET /api/traces" ? `?correlationId=${id}` : "");
  const headers = await headersFor(caller);
  if (route === "POST /api/orders") {
    const init = caller === "store" ? await orderRequest(orderInput()) : jsonRequest(orderInput(), { ...headers, "idempotency-key": id });
    return warehouse.app.request(path, init);
  }
  const body = bodyFor(route);
  return warehouse.app.request(path, {
    method,
    headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

/** The call with everything the validators check made wrong: the id, the query, the body, the Idempotency-Key. */
function malformedCall(route: string, credentials: Record<string, string> = {}) {
  const [method = "GET", template = "/"] = route.split(" ");
  return warehouse.app.request(`${template.replace("{id}", "not-a-uuid")}?limit=0`, {
    method,
    headers: { ...credentials, "content-type": "application/json", "idempotency-key": "not a key" },
    ...(method === "POST" || method === "PATCH" ? { body: "{" } : {}),
  });
}

describe("who may call what", () => {
  it("has a row for every documented route, and no row for a route that is gone", async () => {
    expect((await documentedRoutes()).sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it("refuses a caller before it validates the call: a malformed call without credentials is 401, not 400", async () => {
    const gated = Object.entries(ALLOWED).filter(([, allowed]) => !allowed.includes("nobody"));
    for (const [route] of gated) expect((await malformedCall(route)).status, route).toBe(401);
  });

  it("refuses a staff member an admin's route before it validates the call: 403, not 400", async () => {
    const staff = await warehouse.staffHeaders();
    for (const route of Object.keys(ALLOWED).filter(isAdminsOnly)) expect((await malformedCall(route, staff)).status, route).toBe(403);
  });

  for (const [route, allowed] of Object.entries(ALLOWED)) {
    for (const caller of CALLERS) {
      const verdict = allowed.includes(caller) ? "lets in" : "refuses";
      it(`${route} ${verdict} ${caller === "nobody" ? "a caller without credentials" : `the ${caller}`}`, async () => {
        const res = await call(route, caller);
        if (allowed.includes(caller)) {
          expect([401, 403]).not.toContain(res.status);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(res.status).toBe(refusal(route, caller));
          expect(await res.json()).toMatchObject({
            error: expect.any(String),
            message: expect.any(String),
            correlationId: expect.any(String),
          });
        }
      });
    }
  }
});
