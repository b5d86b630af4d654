// Every route of the built store, against every kind of caller: the store's half of "who can call what"
// (the warehouse's half is warehouse-api/src/auth-matrix.test.ts). The list of routes is the one
// `next build` wrote, so a route added without a row here fails until someone decides who may call it;
// and an API route answers 405 to each of GET, POST, PUT, PATCH and DELETE but its own, so one of those
// added to a route fails too (HEAD and OPTIONS Next answers by itself). The
// server actions (cart and checkout, posted to the pages) take any customer, as the pages do: the
// cookie only picks whose cart; checkout.spec.ts and the fuzz tests cover them.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { parseSigningKey } from "@fishtag/service-auth/keys";
import { serviceAuthorization, type TokenTarget } from "@fishtag/service-auth/tokens";

import { shopperSession } from "../faults/shopper";
import { expect, REPO_ROOT, test, type Stack } from "../fixtures/stack";

const CALLERS = ["nobody", "the customer", "another customer", "the warehouse", "a token signed by another key"] as const;
type Caller = (typeof CALLERS)[number];
const EVERYONE = CALLERS;

/**
 * Who may call each route, what they get, and what everyone else gets. A customer's order is theirs
 * alone: anyone else gets 404, as if it did not exist (a 403 would confirm that it does). Status events
 * come from the warehouse alone: anything else is 401. The event sent is `{}`, so a caller let through
 * the gate gets 400 for the body: the gate, not the handler, is what this table is about.
 */
const ROUTES: Record<string, { allowed: readonly Caller[]; letIn: 200 | 400 | 404; refused?: 401 | 404 }> = {
  "GET /": { allowed: EVERYONE, letIn: 200 },
  "GET /products": { allowed: EVERYONE, letIn: 200 },
  "GET /products/[sku]": { allowed: EVERYONE, letIn: 200 },
  "GET /icon.svg": { allowed: EVERYONE, letIn: 200 },
  "GET /cart": { allowed: EVERYONE, letIn: 200 },
  "GET /orders": { allowed: EVERYONE, letIn: 200 },
  "GET /orders/new": { allowed: EVERYONE, letIn: 200 },
  // The guest lookup's form: anyone may ask for an order by its email and number (find-order.spec.ts).
  "GET /orders/find": { allowed: EVERYONE, letIn: 200 },
  "GET /orders/[number]": { allowed: ["the customer"], letIn: 200, refused: 404 },
  // The checkout bench's empty action (store-web/bench): served only while STORE_BENCH_ACTION is set, which
  // the stack never sets, so it is not there for anyone.
  "GET /bench/empty-action": { allowed: [], letIn: 200, refused: 404 },
  "GET /api/health": { allowed: EVERYONE, letIn: 200 },
  "GET /api/orders/[number]": { allowed: ["the customer"], letIn: 200, refused: 404 },
  "POST /api/warehouse-events": { allowed: ["the warehouse"], letIn: 400, refused: 401 },
  // Every other path under /api, whatever the method: a 404 in the error shape, to anyone.
  "GET /api/[...path]": { allowed: EVERYONE, letIn: 404 },
};

/** The store's pages and route handlers, as `next build` listed them (Next's own error pages aside). */
function builtRoutes(): string[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "store-web/.next/server/app-paths-manifest.json"), "utf8")) as Record<
    string,
    string
  >;
  return Object.keys(manifest)
    .filter((entry) => !entry.startsWith("/_"))
    .map((entry) => entry.replace(/\/(page|route)$/, "") || "/");
}

let orderNumber = "";
let customerCookie = "";
test.beforeAll(async ({ workerStack }) => {
  const customer = await shopperSession(workerStack.storeUrl);
  const outcome = await customer.checkOut("PO-MATRIX");
  if (outcome.kind !== "placed") throw new Error(`the matrix's order was not placed: ${JSON.stringify(outcome)}`);
  orderNumber = outcome.orderNumber;
  customerCookie = customer.cookie();
});

/** What `caller` sends with `call`: a service token is signed for that very call, as the warehouse's relay signs each. */
async function headersFor(stack: Stack, caller: Caller, call: TokenTarget): Promise<Record<string, string>> {
  const token = async (signingKey: string) => {
    const parsed = parseSigningKey(signingKey);
    if (!parsed.ok) throw new Error(parsed.problem);
    return serviceAuthorization({ key: parsed.key, issuer: "warehouse-api", audience: "store-web", ...call });
  };
  switch (caller) {
    case "nobody":
      return {};
    case "the customer":
      return { cookie: customerCookie };
    case "another customer":
      return { cookie: `fishtag_customer=${crypto.randomUUID()}` };
    case "the warehouse":
      return { authorization: await token(stack.warehouseSigningKey) };
    case "a token signed by another key":
      // Claims to be the warehouse, signed with a key the store does not trust for it (the store's own).
      return { authorization: await token(stack.storeSigningKey) };
  }
}

test("the matrix has a row for every route the store is built with, and none for a route that is gone", () => {
  const rows = Object.keys(ROUTES).map((route) => route.split(" ")[1]);
  expect(builtRoutes().sort()).toEqual(rows.sort());
});

for (const [route, { allowed, letIn, refused }] of Object.entries(ROUTES)) {
  const who = allowed.length === CALLERS.length ? "anyone" : allowed.length === 0 ? "no one" : `only ${allowed.join(", ")}`;
  test(`${route}: ${who}`, async ({ stack }) => {
    const [method = "GET", template = "/"] = route.split(" ");
    const url = `${stack.storeUrl}${template.replace("[number]", orderNumber).replace("[sku]", "MUG-TEAL").replace("[...path]", "no/such/route")}`;
    for (const caller of CALLERS) {
      const headers = await headersFor(stack, caller, { method, url });
      const response = await fetch(
        url,
        method === "POST" ? { method, headers: { ...headers, "content-type": "application/json" }, body: "{}" } : { headers },
      );
      expect(response.status, `${caller}: ${allowed.includes(caller) ? "let in" : "refused"}`).toBe(
        allowed.includes(caller) ? letIn : refused,
      );
      if (template.startsWith("/api/") && response.status >= 400) {
        expect(await response.json()).toMatchObject({
          error: expect.any(String),
          message: expect.any(String),
          correlationId: expect.any(String),
        });
      }
    }
    if (template.startsWith("/api/")) {
      // The catch-all answers every method alike: there is no route there to allow one.
      const otherMethods = template.endsWith("[...path]") ? letIn : 405;
      for (const other of ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((verb) => verb !== method)) {
        expect(
          (await fetch(url, { method: other, headers: await headersFor(stack, "the warehouse", { method: other, url }) })).status,
          `${other} ${template}`,
        ).toBe(otherMethods);
      }
    }
  });
}
