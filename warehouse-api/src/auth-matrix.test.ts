// Every route in the warehouse's own OpenAPI document, against every kind of caller: the table a reviewer
// wants when asking "who can call what". A route added without a gate fails here until it is put in the
// right row: the document is the list, so nothing can be left out of the matrix by forgetting it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { jsonRequest, orderInput, orderRequest } from "./test/fixtures.js";
import { createTestWarehouse, storeAuthorization, TEST_STAFF } from "./testing.js";

const warehouse = createTestWarehouse();
beforeAll(async () => {
  await warehouse.staffHeaders(); // creates TEST_STAFF, whom the sign-in rows sign in as
});
afterAll(() => {
  warehouse.close();
});

type Caller = "nobody" | "store" | "staff";

/** Who may call each documented route. Anything else must get 401 in the API's error shape. */
const ALLOWED: Record<string, readonly Caller[]> = {
  "GET /healthz": ["nobody", "store", "staff"],
  "GET /livez": ["nobody", "store", "staff"],
  "GET /readyz": ["nobody", "store", "staff"],
  "POST /api/orders": ["store"],
  "GET /api/orders": ["staff"],
  "GET /api/orders/{id}": ["staff"],
  "GET /api/orders/{id}/events": ["staff"],
  "POST /api/orders/{id}/transitions": ["staff"],
  // Signing in is how a person becomes staff, so anyone may try (throttled); reading or ending a
  // session needs one.
  "POST /api/session": ["nobody", "store", "staff"],
  "GET /api/session": ["staff"],
  "DELETE /api/session": ["staff"],
};

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
  return {};
}

/** A request that would pass validation, so that only the caller decides between 401 and the rest. */
async function call(route: string, caller: Caller): Promise<Response> {
  const [method = "GET", template = "/"] = route.split(" ");
  const id = crypto.randomUUID();
  const path = template.replace("{id}", id);
  const headers = await headersFor(caller);
  if (route === "POST /api/orders") {
    const init = caller === "store" ? await orderRequest(orderInput()) : jsonRequest(orderInput(), { ...headers, "idempotency-key": id });
    return warehouse.app.request(path, init);
  }
  const body =
    route === "POST /api/session"
      ? { email: TEST_STAFF.email, password: TEST_STAFF.password }
      : method === "POST"
        ? { to: "picking" }
        : undefined;
  return warehouse.app.request(path, {
    method,
    headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

/** The call with everything the validators check made wrong: the id, the query, the body, the Idempotency-Key. */
function malformedCall(route: string) {
  const [method = "GET", template = "/"] = route.split(" ");
  return warehouse.app.request(`${template.replace("{id}", "not-a-uuid")}?limit=0`, {
    method,
    headers: { "content-type": "application/json", "idempotency-key": "not a key" },
    ...(method === "POST" ? { body: "{" } : {}),
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

  for (const [route, allowed] of Object.entries(ALLOWED)) {
    for (const caller of ["nobody", "store", "staff"] as const) {
      const verdict = allowed.includes(caller) ? "lets in" : "refuses";
      it(`${route} ${verdict} ${caller === "nobody" ? "a caller without credentials" : `the ${caller}`}`, async () => {
        const res = await call(route, caller);
        if (allowed.includes(caller)) {
          expect(res.status).not.toBe(401);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(res.status).toBe(401);
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
