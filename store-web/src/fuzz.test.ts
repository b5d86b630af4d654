/**
 * Fuzzing the store's in-process HTTP surface with fast-check (generators in test/fuzz.ts), 4,200
 * generated inputs in all (RUNS below), each with a missing, valid or (most often) hostile X-Correlation-Id:
 * page requests through proxy.ts first, API requests straight in (the proxy skips /api), then to the real
 * route handler or server action, with Next's request
 * APIs (next/headers, next/cache), the database, the warehouse client and the logger replaced:
 * - POST /api/warehouse-events: near-valid events with one field broken, junk bodies, junk bearer tokens;
 * - GET /api/orders/[number]: junk order numbers and customer cookies;
 * - GET /api/health, with the warehouse up or down;
 * - the checkout server action: random FormData (junk, files, missing and extra fields) on random carts.
 * Never a 5xx or a throw; errors in the shape { error, message, correlationId }; the ID is valid and the
 * one echoed; and afterwards no refused inbound ID is anywhere in the log. The raw-socket cases (request
 * lines, paths, bodies, action forms) are in front-door.test.ts.
 *
 * Run: cd store-web && npx vitest run src/fuzz.test.ts
 */
import { readFileSync } from "node:fs";

import fc from "fast-check";
import { getURLFromRedirectError } from "next/dist/client/components/redirect";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { serviceAuthorization } from "@fishtag/service-auth/tokens";
import { CORRELATION_HEADER, isValidCorrelationId } from "@fishtag/tracing/correlation";

import { GET as healthRoute } from "./app/api/health/route";
import { GET as orderRoute } from "./app/api/orders/[number]/route";
import { POST as warehouseEventsRoute } from "./app/api/warehouse-events/route";
import { placeOrderAction } from "./checkout/actions";
import { CHECKOUT_FIELDS } from "./checkout/checkout.schema";
import { CLIENT_ADDRESS_HEADER } from "./lib/client-address";
import { proxy } from "./proxy";
import { expectCleanStoreLog, expectStoreAnswer, forwardedHeaders, inbound, inboundId, junk, UUID_V4, type HostileId } from "./test/fuzz";
import { ada, newCustomer, testStore } from "./test/store-db";
import type { CreateOrderResult } from "./warehouse/client.server";

const fake = await vi.hoisted(async () => {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const { testKeyPair } = await import("@fishtag/service-auth/testing");
  // The warehouse's key pair: the route reads the public half from the env module.
  const warehouseKeys = testKeyPair();
  vi.stubEnv("WAREHOUSE_PUBLIC_KEY", warehouseKeys.env.publicKey);
  return {
    warehouseKeys,
    logFile: path.join(mkdtempSync(path.join(tmpdir(), "store-fuzz-")), "store.log"),
    /** What the app sees of the current request (set from the proxy's forwarded headers). */
    headers: new Headers(),
    repos: undefined as unknown,
    database: undefined as unknown,
    warehouseUp: true,
    outcome: { kind: "unavailable", reason: "timeout" } as CreateOrderResult,
  };
});

vi.mock("./lib/logger.server", async () => {
  const { createLogger } = await import("@fishtag/tracing/logger");
  return { logger: createLogger({ service: "store-web", level: "info", file: fake.logFile, stdout: false }) };
});
vi.mock("next/headers", async () => {
  const { RequestCookies } = await import("next/dist/compiled/@edge-runtime/cookies");
  return { headers: () => Promise.resolve(fake.headers), cookies: () => Promise.resolve(new RequestCookies(fake.headers)) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("./repos.server", () => ({ repos: () => fake.repos }));
// The limiters' database: server.ts opens it in the real process.
vi.mock("./db/db.server", () => ({ database: () => fake.database }));
// A real client on a warehouse that never answers, with the two calls the store makes answered by the test.
vi.mock("./warehouse/warehouse.server", async () => {
  const { createLogger } = await import("@fishtag/tracing/logger");
  const { createWarehouseClient } = await import("./warehouse/client.server");
  const unreachable = () => Promise.reject(new TypeError("fetch failed"));
  const client = createWarehouseClient({
    baseUrl: "http://warehouse.test",
    timeoutMs: 1000,
    logger: createLogger({ service: "store-web", level: "silent" }),
    fetch: unreachable,
  });
  const stub = { ...client, isHealthy: () => Promise.resolve(fake.warehouseUp), createOrder: () => Promise.resolve(fake.outcome) };
  const { createReplayGuard } = await import("@fishtag/service-auth/tokens");
  const replay = createReplayGuard();
  return { warehouse: () => stub, statusEventReplayGuard: () => replay };
});

const VALID_TOKEN = "valid token, signed when used";

const RUNS = { warehouseEvents: 1500, orderApi: 1000, health: 500, checkout: 1200 };
const TOTAL_RUNS = Object.values(RUNS).reduce((sum, runs) => sum + runs, 0);

const store = await testStore();
fake.repos = store;
fake.database = store.database;
const owner = newCustomer();
const hostiles: HostileId[] = [];
let ran = 0;
let orders: { id: string; number: string }[] = [];

beforeAll(async () => {
  // One after another: their numbers follow the order they are placed in.
  orders = [];
  for (let n = 0; n < 3; n++)
    orders.push(
      await store.orders.create({
        customerId: owner,
        correlationId: "seed",
        ...ada,
        lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 1, unitPriceCents: 1450 }],
      }),
    );
});
afterAll(async () => {
  console.log(`store fuzz: ${ran} generated inputs (planned ${TOTAL_RUNS})`);
  await store.close();
  vi.unstubAllEnvs();
});

/**
 * The proxy's half of a request: checks the ID it echoes, makes the forwarded headers what the app sees
 * (as Next does), and returns the ID the app must answer with. `viaProxy: false` is a request the proxy's
 * matcher skips (the API): the app sees the inbound headers as sent, and must still answer with a valid ID.
 */
function enter(
  url: string,
  id: string | HostileId | undefined,
  init: { method?: string; headers?: Record<string, string | undefined> } = {},
  viaProxy = true,
): string | RegExp {
  ran += 1;
  const { request, seen, hostile } = inbound(url, id, init);
  if (hostile) hostiles.push(hostile);
  const sentValid = seen !== undefined && isValidCorrelationId(seen) ? seen : undefined;
  if (!viaProxy) {
    fake.headers = request.headers;
    return sentValid ?? UUID_V4;
  }
  const proxied = proxy(request);
  const echoed = proxied.headers.get(CORRELATION_HEADER) ?? "";
  expect(isValidCorrelationId(echoed)).toBe(true);
  if (sentValid) expect(echoed).toBe(sentValid);
  if (hostile) expect(echoed).toMatch(UUID_V4);
  fake.headers = forwardedHeaders(proxied);
  expect(fake.headers.get(CORRELATION_HEADER)).toBe(echoed);
  return echoed;
}

const STATUSES = ["received", "picking", "packed", "shipped", "cancelled", "rejected"] as const;

// Bounded by input count, not time: on a busy two-core CI machine a group can take well over the
// 5 s default, so each gets a minute.
describe("fuzz: the store never answers 5xx and always in its error shape", { timeout: 60_000 }, () => {
  it(`POST /api/warehouse-events (${RUNS.warehouseEvents} events)`, async () => {
    // A valid event, or one with a field replaced by something odd (undefined drops it).
    const oddValue = fc.oneof(
      junk,
      fc.constantFrom(undefined, null, 0, -1, 1.5, 2 ** 53, "1", true, [], {}, "2026-13-40T99:00:00Z", "order.created"),
    );
    const event = fc
      .tuple(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(...orders.map((order) => order.id)),
        fc.constantFrom(...STATUSES),
        fc.date({ noInvalidDate: true, min: new Date("2000-01-01"), max: new Date("2100-01-01") }),
        fc.option(fc.tuple(fc.constantFrom("eventId", "orderId", "storeOrderId", "type", "status", "at", "extra"), oddValue), {
          nil: undefined,
        }),
      )
      .map(([eventId, storeOrderId, status, at, broken]) => {
        const valid: Record<string, unknown> = {
          eventId,
          orderId: "wh-1",
          storeOrderId,
          type: "order.status_changed",
          status,
          at: at.toISOString(),
        };
        return broken ? { ...valid, [broken[0]]: broken[1] } : valid;
      });
    const payload = fc.oneof(
      { weight: 3, arbitrary: event.map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: junk },
      { weight: 1, arbitrary: fc.constantFrom("", "{", "x".repeat(20_000), "[".repeat(5_000)) },
    );
    const authorization = fc.oneof(
      // Signed afresh per run below: a token made once could expire during a long run.
      { weight: 4, arbitrary: fc.constant(VALID_TOKEN) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: junk.map((text) => `Bearer ${text}`) },
      { weight: 1, arbitrary: junk },
    );
    await fc.assert(
      fc.asyncProperty(payload, authorization, inboundId, async (body, auth, id) => {
        const authorization =
          auth === VALID_TOKEN
            ? await serviceAuthorization({
                key: fake.warehouseKeys.signingKey,
                issuer: "warehouse-api",
                audience: "store-web",
                method: "POST",
                url: "http://store.test/api/warehouse-events",
              })
            : auth;
        const echoed = enter("http://store.test/api/warehouse-events", id, { method: "POST", headers: { authorization } }, false);
        const response = await warehouseEventsRoute(
          new Request("http://store.test/api/warehouse-events", { method: "POST", headers: fake.headers, body }),
          undefined,
        );
        await expectStoreAnswer(response, echoed);
      }),
      { numRuns: RUNS.warehouseEvents },
    );
  });

  it(`GET /api/orders/[number] (${RUNS.orderApi} lookups)`, async () => {
    const number = fc.oneof(
      fc.constantFrom(...orders.map((order) => order.number), "ST-000000", "ST-0000001", "ST-999999999999", "st-000001", "ST-00000１"),
      fc.nat().map((n) => `ST-${String(n).padStart(6, "0")}`),
      junk,
    );
    const cookie = fc.option(
      fc.oneof(
        fc.constant(`fishtag_customer=${owner}`),
        fc.uuid().map((id) => `fishtag_customer=${id}`),
        junk.map((text) => `fishtag_customer=${text}`),
        junk,
      ),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(number, cookie, inboundId, async (orderNumber, cookieHeader, id) => {
        const echoed = enter(
          `http://store.test/api/orders/${encodeURIComponent(orderNumber.replace(/[\ud800-\udfff]/g, ""))}`,
          id,
          { headers: { cookie: cookieHeader } },
          false,
        );
        const response = await orderRoute(new Request("http://store.test/api/orders/x", { headers: fake.headers }), {
          params: Promise.resolve({ number: orderNumber }),
        });
        const body = await expectStoreAnswer(response, echoed);
        if (response.status === 200) expect(body).toMatchObject({ number: orderNumber });
      }),
      { numRuns: RUNS.orderApi },
    );
  });

  it(`GET /api/health (${RUNS.health} probes)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), inboundId, async (up, id) => {
        fake.warehouseUp = up;
        const echoed = enter("http://store.test/api/health", id, {}, false);
        const body = await expectStoreAnswer(
          await healthRoute(new Request("http://store.test/api/health", { headers: fake.headers }), undefined),
          echoed,
        );
        expect(body).toMatchObject({ status: "ok", correlationId: expect.stringMatching(echoed) });
        expect(body.warehouse).toBeDefined();
      }),
      { numRuns: RUNS.health },
    );
  });

  it(`the checkout action (${RUNS.checkout} forms)`, async () => {
    const fieldValue = fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom("", "   ", "gb", "XX", "a@b", "x".repeat(201)) },
      { weight: 3, arbitrary: junk },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 50 }).map((bytes) => new File([bytes], "junk.bin")) },
    );
    const valid = {
      name: "Ada Lovelace",
      email: "ada@example.com",
      line1: "12 Analytical Row",
      line2: "",
      city: "London",
      postalCode: "N1 9GU",
      country: "GB",
      reference: "PO-1001",
    };
    // The valid form with a few fields replaced or dropped, plus a few extra entries (duplicates included).
    const form = fc
      .tuple(
        fc.dictionary(fc.constantFrom(...CHECKOUT_FIELDS), fc.option(fieldValue, { nil: undefined }), { maxKeys: 3 }),
        fc.array(fc.tuple(fc.oneof(junk, fc.constantFrom("items", "$ACTION_ID_x", "price.MUG-TEAL", ...CHECKOUT_FIELDS)), fieldValue), {
          maxLength: 3,
        }),
      )
      .map(([changed, extra]) => {
        const data = new FormData();
        for (const field of CHECKOUT_FIELDS) {
          const value = field in changed ? changed[field] : valid[field];
          if (value !== undefined) data.append(field, value);
        }
        for (const [key, value] of extra) data.append(key, value);
        return data;
      });
    const cart = fc.array(
      fc.tuple(fc.constantFrom("MUG-TEAL", "TEE-FISH", "NOTE-A5", "BAG-TOTE", "STK-PACK"), fc.integer({ min: 1, max: 100 })),
      { maxLength: 3 },
    );
    const warehouseOrder = {
      id: "wh-1",
      storeOrderId: "s",
      reference: "r",
      status: "received",
      totalCents: 1,
      correlationId: "c",
      createdAt: "2026-01-01T00:00:00Z",
    };
    const outcome = fc.constantFrom<CreateOrderResult>(
      { kind: "placed", order: warehouseOrder },
      { kind: "rejected", message: "refused", order: { ...warehouseOrder, status: "rejected" } },
      { kind: "unavailable", reason: "timeout" },
      { kind: "failed", reason: "unexpected 418 from the warehouse" },
    );
    await fc.assert(
      fc.asyncProperty(form, cart, outcome, fc.boolean(), inboundId, async (data, items, result, hasCustomer, id) => {
        const customer = newCustomer();
        for (const [sku, quantity] of items) await store.carts.add(customer, sku, quantity);
        fake.outcome = result;
        const echoed = enter("http://store.test/checkout", id, {
          method: "POST",
          headers: {
            cookie: hasCustomer ? `fishtag_customer=${customer}` : undefined,
            // A client per input: the checkout's rate limit must not turn the fuzzing into one refusal after another.
            [CLIENT_ADDRESS_HEADER]: customer,
          },
        });
        // An order the store took leaves for its own page: the action redirects (Next throws to do it).
        const state = await placeOrderAction({ status: "idle" }, data).catch((error: unknown) => {
          if (!isRedirectError(error)) throw error;
          expect(getURLFromRedirectError(error)).toMatch(/^\/orders\/ST-\d{6}\?(placed|accepted)$/);
          return undefined;
        });
        if (state === undefined) return;
        expect(["rejected", "invalid", "failed", "rate_limited"]).toContain(state.status);
        expect(state).toMatchObject({ reference: expect.stringMatching(echoed) });
        if (state.status === "invalid") {
          expect(Object.keys(state.fieldErrors).length).toBeGreaterThan(0);
          for (const message of Object.values(state.fieldErrors)) expect(message).toEqual(expect.any(String));
        }
        if ("values" in state) for (const value of Object.values(state.values)) expect(value).toEqual(expect.any(String));
      }),
      { numRuns: RUNS.checkout },
    );
  });

  it("ran every planned input, and the log holds valid JSON lines with no refused ID in any form", () => {
    expect(ran).toBe(TOTAL_RUNS);
    expect(TOTAL_RUNS).toBeGreaterThanOrEqual(4000);
    expect(hostiles.length).toBeGreaterThan(TOTAL_RUNS / 3);
    const lines = expectCleanStoreLog(readFileSync(fake.logFile, "utf8"), hostiles);
    expect(lines).toBeGreaterThanOrEqual(hostiles.length);
  });
});
