/**
 * Fuzzing the warehouse's HTTP surface with fast-check (generators in test/fuzz.ts): every route in
 * /openapi.json, plus unknown routes and methods, 6,500 generated requests in all (RUNS below), most with
 * a hostile X-Correlation-Id (CR/LF, ANSI escapes, JSON-breaking quotes, unicode, 10 KB, empty), and junk
 * bodies, query strings, path ids, cookies, CSRF tokens, Idempotency-Keys, Content-Types and -Lengths.
 * Every response: never a 5xx, a valid X-Correlation-Id, and errors in the shape { error, message,
 * correlationId } with that ID. Afterwards the log is read back: JSON lines, valid IDs, and no refused
 * inbound ID anywhere in it, raw or escaped (only its length is logged).
 *
 * Run: cd warehouse-api && npx vitest run src/fuzz.test.ts
 */
import { readFileSync } from "node:fs";

import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isValidCorrelationId } from "@fishtag/tracing/correlation";
import { startTracing } from "@fishtag/tracing/otel";

import { ORDER_STATUSES } from "./orders/lifecycle.js";
import { createStaffRepo } from "./staff/staff.repo.js";
import { orderInput, orderRequest } from "./test/fixtures.js";
import {
  anyContentType,
  baggage,
  body,
  contentLength,
  contentType,
  expectCleanLog,
  expectWellFormed,
  inboundCorrelationId,
  junk,
  pathSegment,
  toRequest,
  traceparent,
  type FuzzRequest,
  type Hostile,
} from "./test/fuzz.js";
import { createTestWarehouse, storeAuthorization, TEST_STAFF, type StaffHeaders, type TestWarehouse } from "./testing.js";

const RUNS = {
  createOrder: 1500,
  listOrders: 800,
  readOrder: 800,
  transitions: 900,
  session: 900,
  accounts: 600,
  otherRoutes: 1000,
  anyRoute: 600,
};
const TOTAL_RUNS = Object.values(RUNS).reduce((sum, runs) => sum + runs, 0);

let warehouse: TestWarehouse;
let staff: StaffHeaders;
let orderIds: string[];
const hostiles: Hostile[] = [];
let sentCount = 0;

beforeAll(async () => {
  // With a provider registered, as in production: the trace headers are parsed, not ignored.
  startTracing({ serviceName: "warehouse-api", exporter: new InMemorySpanExporter() });
  warehouse = await createTestWarehouse({ logFile: true });
  staff = await warehouse.staffHeaders();
  for (const reference of ["PO-1", "PO-2", "F-rejected"]) {
    await warehouse.app.request("/api/orders", await orderRequest(orderInput({ reference })));
  }
  const list = await warehouse.app.request("/api/orders", { headers: staff });
  orderIds = ((await list.json()) as { items: { id: string }[] }).items.map((order) => order.id);
});

afterAll(async () => {
  console.log(`warehouse fuzz: ${sentCount} generated requests (planned ${TOTAL_RUNS})`);
  await warehouse.close();
});

/** Sends one generated request and checks the response; remembers hostile IDs for the log check. */
async function send(input: FuzzRequest): Promise<void> {
  const sent = toRequest(input);
  if (sent.hostile && !isValidCorrelationId(sent.correlationId ?? "")) hostiles.push(sent.hostile);
  sentCount += 1;
  const response = await warehouse.app.request(sent.request);
  await expectWellFormed(response, sent);
}

const idempotencyKey = fc.option(fc.oneof(fc.uuid(), junk), { nil: undefined });

// Where a near-valid order gets one field broken.
const ORDER_FIELDS = [
  ["storeOrderId"],
  ["reference"],
  ["customer"],
  ["customer", "name"],
  ["customer", "email"],
  ["shippingAddress"],
  ["shippingAddress", "line1"],
  ["shippingAddress", "line2"],
  ["shippingAddress", "city"],
  ["shippingAddress", "postalCode"],
  ["shippingAddress", "country"],
  ["lines"],
  ["lines", "0"],
  ["lines", "0", "sku"],
  ["lines", "0", "name"],
  ["lines", "0", "quantity"],
  ["lines", "1", "unitPriceCents"],
  ["extra"],
] as const;

const outOfBounds = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 999, 1000, 100_000_001, Number.MAX_SAFE_INTEGER + 2, -0, 1e308, "", "2", true, null, [], {}),
  fc.integer({ min: 0, max: 300 }).map((length) => "x".repeat(length)),
  fc.constantFrom(undefined),
  fc.array(fc.constant({ sku: "S", name: "N", quantity: 1, unitPriceCents: 1 }), { minLength: 0, maxLength: 60 }),
  fc.jsonValue({ maxDepth: 2 }),
  junk,
);

function withField(target: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [key, ...rest] = path;
  if (key === undefined) return target;
  const copy: Record<string, unknown> = Array.isArray(target) ? ([...target] as unknown as Record<string, unknown>) : { ...target };
  if (rest.length === 0) copy[key] = value;
  else {
    const inner = copy[key];
    copy[key] = withField(typeof inner === "object" && inner !== null ? (inner as Record<string, unknown>) : {}, rest, value);
  }
  return copy;
}

const nearValidOrder = fc
  .tuple(fc.constantFrom(...ORDER_FIELDS), outOfBounds, fc.boolean())
  .map(([path, value, intact]) => JSON.stringify(intact ? orderInput() : withField(orderInput(), path, value)));

const withOrWithout = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

// Bounded by input count, not time: on a busy two-core CI machine a group can take well over the
// 5 s default, so each gets a minute.
describe("fuzz: the warehouse never answers 5xx and always in its error shape", { timeout: 60_000 }, () => {
  it(`POST /api/orders (${RUNS.createOrder} bodies)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 2, arbitrary: nearValidOrder }, { weight: 1, arbitrary: body }),
        contentType,
        contentLength,
        idempotencyKey,
        inboundCorrelationId,
        async (payload, type, length, key, correlationId) => {
          await send({
            method: "POST",
            path: "/api/orders",
            correlationId,
            // Signed as the Store does, so the body reaches validation (service auth has its own matrix).
            headers: { "content-type": type, "content-length": length, "idempotency-key": key, authorization: await storeAuthorization() },
            body: payload,
          });
        },
      ),
      { numRuns: RUNS.createOrder },
    );
  });

  it(`GET /api/orders (${RUNS.listOrders} query strings)`, async () => {
    const param = fc.tuple(
      fc.constantFrom("status", "q", "limit", "cursor", "status", "limit", "x", ""),
      fc.oneof(fc.constantFrom(...ORDER_STATUSES, "", "0", "-1", "101", "1e2", "20.5", "NaN", "Infinity", " 5", "0x10"), fc.uuid(), junk),
    );
    const query = fc
      .tuple(fc.array(param, { maxLength: 5 }), fc.boolean())
      .map(([pairs, encode]) =>
        encode ? new URLSearchParams(pairs).toString() : pairs.map(([key, value]) => `${key}=${value.replace(/[#\s]/g, "")}`).join("&"),
      );
    await fc.assert(
      fc.asyncProperty(query, fc.boolean(), inboundCorrelationId, async (search, signedIn, correlationId) => {
        await send({ method: "GET", path: `/api/orders?${search}`, correlationId, headers: signedIn ? staff : {} });
      }),
      { numRuns: RUNS.listOrders },
    );
  });

  it(`GET /api/orders/{id} and /events (${RUNS.readOrder} ids)`, async () => {
    const id = fc.oneof(
      pathSegment,
      fc.constantFrom(...orderIds),
      fc.string({ minLength: 300, maxLength: 3000, unit: "binary-ascii" }).map(encodeURIComponent),
    );
    await fc.assert(
      fc.asyncProperty(
        id,
        fc.constantFrom("", "/events"),
        fc.boolean(),
        inboundCorrelationId,
        async (orderId, suffix, signedIn, correlationId) => {
          await send({ method: "GET", path: `/api/orders/${orderId}${suffix}`, correlationId, headers: signedIn ? staff : {} });
        },
      ),
      { numRuns: RUNS.readOrder },
    );
  });

  it(`POST /api/orders/{id}/transitions (${RUNS.transitions} moves)`, async () => {
    const transition = fc.oneof(
      fc
        .record({
          to: fc.oneof(fc.constantFrom(...ORDER_STATUSES), junk),
          reason: withOrWithout(fc.oneof(junk, fc.constant("   "), fc.constant("r".repeat(501)))),
        })
        .map((value) => JSON.stringify(value)),
      body,
    );
    const auth = fc.oneof(
      fc.constant(staff),
      fc.constant({ cookie: staff.cookie }),
      fc.record({ cookie: fc.constant(staff.cookie), "x-csrf-token": junk }),
      fc.record({ cookie: junk.map((value) => `fishtag_session=${value}`), "x-csrf-token": junk }),
      fc.constant({}),
    );
    const headers = fc.tuple(auth, contentType).map(([credentials, type]) => ({ ...credentials, "content-type": type }));
    const target = fc.oneof(fc.constantFrom(...orderIds), pathSegment);
    await fc.assert(
      fc.asyncProperty(target, transition, headers, inboundCorrelationId, async (orderId, payload, sentHeaders, correlationId) => {
        await send({ method: "POST", path: `/api/orders/${orderId}/transitions`, correlationId, headers: sentHeaders, body: payload });
      }),
      { numRuns: RUNS.transitions },
    );
  });

  it(`/api/session: sign in, read, sign out (${RUNS.session} requests)`, async () => {
    const staffRepo = createStaffRepo(warehouse.database);
    const userId = (await staffRepo.findUserByEmail(TEST_STAFF.email))?.id ?? "";
    const signIn = fc.record({
      method: fc.constant("POST"),
      payload: fc.oneof(
        fc
          .record({
            email: fc.oneof(fc.constant(TEST_STAFF.email), fc.emailAddress(), junk),
            password: fc.oneof(junk, fc.constant(TEST_STAFF.password.toUpperCase())),
          })
          .map((value) => JSON.stringify(value)),
        body,
      ),
      cookie: fc.constant(undefined),
      csrf: fc.constant(undefined),
    });
    const sessionCookie = fc.oneof(
      junk,
      junk.map((value) => `fishtag_session=${value}`),
      fc.constantFrom("fishtag_session=%", "fishtag_session=%zz; fishtag_session=x", "fishtag_session", "=;=;", '"fishtag_session"="x"'),
    );
    // "live" signs out a session made for this run: the one the other properties use stays.
    const withCookie = fc.record({
      method: fc.constantFrom("GET", "DELETE", "HEAD"),
      payload: fc.constant(undefined),
      cookie: fc.oneof(sessionCookie, fc.constant("live")),
      csrf: withOrWithout(fc.oneof(junk, fc.constant("live"))),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(signIn, withCookie),
        contentType,
        inboundCorrelationId,
        async ({ method, payload, cookie, csrf }, type, correlationId) => {
          const live = cookie === "live" ? await staffRepo.createSession(userId, 60_000) : undefined;
          await send({
            method,
            path: "/api/session",
            correlationId,
            headers: {
              "content-type": method === "POST" ? type : undefined,
              cookie: live ? `fishtag_session=${live.token}` : cookie,
              "x-csrf-token": live && csrf === "live" ? live.csrfToken : csrf,
            },
            body: payload,
          });
        },
      ),
      { numRuns: RUNS.session },
    );
  });

  it(`/api/staff and /api/account/password: accounts and passwords (${RUNS.accounts} requests)`, async () => {
    // An account of its own to change: the one the other properties sign in with stays as it is.
    const admin = await warehouse.adminHeaders();
    const target = (
      await createStaffRepo(warehouse.database).addUser({
        email: "fuzzed@warehouse.test",
        name: "Fuzzed",
        password: "fuzzed account password",
      })
    ).id;
    const role = fc.oneof(fc.constantFrom("admin", "staff"), junk);
    const password = fc.oneof(junk, fc.constantFrom("a long enough password", " ".repeat(12), "x".repeat(201)));
    const payload = fc.oneof(
      body,
      fc
        .record({ name: fc.oneof(junk, fc.constant("Nia")), email: fc.oneof(fc.emailAddress(), junk), role, password })
        .map((v) => JSON.stringify(v)),
      fc.record({ role: withOrWithout(role), disabled: withOrWithout(fc.oneof(fc.boolean(), junk)) }).map((v) => JSON.stringify(v)),
      fc.record({ password }).map((v) => JSON.stringify(v)),
      fc.record({ currentPassword: password, newPassword: password }).map((v) => JSON.stringify(v)),
    );
    const id = fc.oneof(fc.constant(target), pathSegment);
    const route = fc.oneof(
      fc.constant(["GET", "/api/staff"] as const),
      fc.constant(["POST", "/api/staff"] as const),
      id.map((value) => ["PATCH", `/api/staff/${value}`] as const),
      id.map((value) => ["POST", `/api/staff/${value}/password`] as const),
      fc.constant(["POST", "/api/account/password"] as const),
    );
    const auth = fc.oneof(fc.constant(admin), fc.constant(staff), fc.constant({ cookie: admin.cookie }), fc.constant({}));
    await fc.assert(
      fc.asyncProperty(
        route,
        payload,
        auth,
        contentType,
        inboundCorrelationId,
        async ([method, path], sent, credentials, type, correlationId) => {
          await send({
            method,
            path,
            correlationId,
            headers: { ...credentials, "content-type": type },
            body: method === "GET" ? undefined : sent,
          });
        },
      ),
      { numRuns: RUNS.accounts },
    );
  });

  it(`/healthz, /openapi.json, unknown routes and methods (${RUNS.otherRoutes} requests)`, async () => {
    const path = fc.oneof(
      fc.constantFrom(
        "/healthz",
        "/openapi.json",
        "/docs",
        "/docs/reference.css",
        "/api/orders",
        "/api/session",
        "/api",
        "/",
        "//api//orders",
        "/api/orders/",
        "/API/ORDERS",
      ),
      fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join("/")}`),
      fc.array(pathSegment, { minLength: 1, maxLength: 3 }).map((segments) => `/api/${segments.join("/")}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND", "get"),
        path,
        withOrWithout(body),
        anyContentType,
        inboundCorrelationId,
        async (method, target, payload, type, correlationId) => {
          await send({ method, path: target, correlationId, headers: { "content-type": type }, body: payload });
        },
      ),
      { numRuns: RUNS.otherRoutes },
    );
  });

  it(`any route, hostile headers only, trace headers included (${RUNS.anyRoute} requests)`, async () => {
    const route = fc.constantFrom(
      ["GET", "/healthz"],
      ["GET", "/api/orders"],
      ["GET", `/api/orders/${orderIds[0] ?? ""}`],
      ["GET", `/api/orders/${orderIds[0] ?? ""}/events`],
      ["GET", "/api/session"],
      ["POST", "/api/session"],
      ["POST", "/api/orders"],
    );
    const headers = fc.dictionary(
      fc.constantFrom(
        "x-csrf-token",
        "cookie",
        "idempotency-key",
        "content-type",
        "content-length",
        "transfer-encoding",
        "accept",
        "x-forwarded-for",
        "authorization",
      ),
      junk,
      { maxKeys: 4 },
    );
    // What a hostile caller puts in the trace headers, which the warehouse reads on every request.
    const traceHeaders = fc.record({ traceparent, tracestate: junk, baggage }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(route, headers, traceHeaders, inboundCorrelationId, async ([method, path], extra, trace, correlationId) => {
        await send({
          method,
          path,
          correlationId,
          headers: { ...extra, ...trace },
          body: method === "POST" ? JSON.stringify(orderInput()) : undefined,
        });
      }),
      { numRuns: RUNS.anyRoute },
    );
  });

  it("ran every planned input, and the log holds valid JSON lines with no hostile ID in any form", () => {
    expect(sentCount).toBe(TOTAL_RUNS);
    expect(TOTAL_RUNS).toBeGreaterThanOrEqual(6000);
    expect(hostiles.length).toBeGreaterThan(TOTAL_RUNS / 3);
    const lines = expectCleanLog(readFileSync(warehouse.logFile ?? "", "utf8"), "warehouse-api", hostiles);
    expect(lines).toBeGreaterThanOrEqual(TOTAL_RUNS);
  });
});
