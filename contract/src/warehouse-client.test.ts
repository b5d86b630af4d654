import type { IncomingMessage, ServerResponse } from "node:http";

import { pino } from "pino";
import { createWarehouseClient, warehouseHealth, type Resilience, type WarehouseOrderRequest } from "store-web/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { verifyServiceAuthorization } from "@fishtag/service-auth/tokens";
import { createLogger, runWithCorrelationId } from "@fishtag/tracing/logger";

import { startFakeWarehouse, startWarehouse, STORE_TEST_KEY, TEST_SERVICE_KEYS, UNUSED_URL, type RunningServer } from "./servers";

const logger = createLogger({ service: "store-web", level: "silent" });

// Retries without the production backoff's waits; the breaker as in production unless a test says otherwise.
const fast: Partial<Resilience> = { initialDelayMs: 1, maxDelayMs: 2 };

let orderNumbers = 0;

// Two mugs, £29.00 of goods, £4.95 shipping, VAT a sixth of the £33.95 total: charged as the store charges.
const order = (reference = "PO-1"): WarehouseOrderRequest => ({
  storeOrderId: crypto.randomUUID(),
  storeOrderNumber: `ST-${String(++orderNumbers).padStart(6, "0")}`,
  reference,
  customer: { name: "Ada Lovelace", email: "ada@example.com" },
  shippingAddress: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
  lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 2, unitPriceCents: 1450 }],
  subtotalCents: 2900,
  shippingCents: 495,
  vatCents: 566,
  totalCents: 3395,
});

describe("warehouse client against the real warehouse app", () => {
  let real: Awaited<ReturnType<typeof startWarehouse>>;
  beforeAll(async () => {
    real = await startWarehouse();
  });
  afterAll(() => real.close());

  const client = () => createWarehouseClient({ signingKey: STORE_TEST_KEY, baseUrl: real.url, timeoutMs: 5000, logger });

  it("places an order and forwards the correlation ID in scope, which the warehouse stores", async () => {
    const result = await runWithCorrelationId("store-checkout-1", () => client().createOrder(order()));

    expect(result).toMatchObject({ kind: "placed", order: { status: "received", totalCents: 3395, correlationId: "store-checkout-1" } });
  });

  it("reports a rejection with the warehouse's message and the stored order", async () => {
    const result = await runWithCorrelationId("store-checkout-2", () => client().createOrder(order("F-77")));

    expect(result).toMatchObject({ kind: "rejected", order: { status: "rejected", correlationId: "store-checkout-2" } });
    expect(result.kind === "rejected" && result.message).toMatch(/does not accept/);
  });

  it("sees the warehouse healthy", async () => {
    expect(await client().isHealthy()).toBe(true);
  });
});

describe("warehouse client when the warehouse misbehaves", () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  async function fake(handler: Parameters<typeof startFakeWarehouse>[0]) {
    const server = await startFakeWarehouse(handler);
    servers.push(server);
    return server;
  }

  it("reports unreachable when nothing listens", async () => {
    const client = createWarehouseClient({ signingKey: STORE_TEST_KEY, baseUrl: UNUSED_URL, timeoutMs: 2000, logger });

    expect(await client.createOrder(order())).toEqual({ kind: "unavailable", reason: "unreachable" });
    expect(await client.isHealthy()).toBe(false);
  });

  it("gives up after its timeout when the warehouse never answers", async () => {
    const silent = await fake(() => undefined);
    const client = createWarehouseClient({ signingKey: STORE_TEST_KEY, baseUrl: silent.url, timeoutMs: 200, logger });

    expect(await client.createOrder(order())).toEqual({ kind: "unavailable", reason: "timeout" });
  });

  it("reports a server error as unavailable", async () => {
    const broken = await fake((_, res) => {
      res.writeHead(500, { "content-type": "application/json" }).end('{"error":"internal_error"}');
    });
    const client = createWarehouseClient({ signingKey: STORE_TEST_KEY, baseUrl: broken.url, timeoutMs: 2000, logger, resilience: fast });

    expect(await client.createOrder(order())).toEqual({ kind: "unavailable", reason: "server_error" });
  });

  it("reports an answer outside the contract as failed rather than guessing", async () => {
    const odd = await fake((_, res) => {
      res.writeHead(201, { "content-type": "application/json" }).end('{"ok":true}');
    });
    const client = createWarehouseClient({ signingKey: STORE_TEST_KEY, baseUrl: odd.url, timeoutMs: 2000, logger });

    expect(await client.createOrder(order())).toMatchObject({ kind: "failed" });
  });

  it("keeps a base path in the warehouse URL", async () => {
    let path: string | undefined;
    const behindPrefix = await fake((req, res) => {
      path = req.url;
      res.writeHead(200).end("{}");
    });

    expect(
      await createWarehouseClient({
        signingKey: STORE_TEST_KEY,
        baseUrl: `${behindPrefix.url}/warehouse/`,
        timeoutMs: 2000,
        logger,
      }).isHealthy(),
    ).toBe(true);
    expect(path).toBe("/warehouse/healthz");
  });

  it("sends a fresh valid correlation ID when none is in scope", async () => {
    let received: string | undefined;
    const echo = await fake((req, res) => {
      received = req.headers["x-correlation-id"] as string | undefined;
      res.writeHead(200).end("{}");
    });
    await createWarehouseClient({ signingKey: STORE_TEST_KEY, baseUrl: echo.url, timeoutMs: 2000, logger }).isHealthy();

    expect(received).toMatch(/^[0-9a-f-]{36}$/);
  });
});

/** Reads a request's body, for a stand-in that forwards it. */
async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Sends `req` on to `url` (the real warehouse) and returns its answer, unsent. */
async function forward(req: IncomingMessage, url: string): Promise<{ status: number; headers: Headers; body: string }> {
  const headers = new Headers();
  for (const name of ["authorization", "content-type", "idempotency-key", "x-correlation-id"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  const answer = await fetch(`${url}${req.url ?? ""}`, {
    method: req.method ?? "GET",
    headers,
    body: req.method === "POST" ? await bodyOf(req) : undefined,
  });
  return { status: answer.status, headers: answer.headers, body: await answer.text() };
}

function send(res: ServerResponse, answer: { status: number; headers: Headers; body: string }) {
  const replayed = answer.headers.get("idempotent-replayed");
  res
    .writeHead(answer.status, { "content-type": "application/json", ...(replayed ? { "idempotent-replayed": replayed } : {}) })
    .end(answer.body);
}

describe("warehouse client resilience", () => {
  let real: Awaited<ReturnType<typeof startWarehouse>>;
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    real = await startWarehouse();
  });
  afterAll(async () => {
    await Promise.all([real.close(), ...servers.map((server) => server.close())]);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function fake(handler: Parameters<typeof startFakeWarehouse>[0]) {
    const server = await startFakeWarehouse(handler);
    servers.push(server);
    return server;
  }

  /** The warehouse's orders with this reference, read through its staff API. */
  async function warehouseOrders(reference: string) {
    const res = await fetch(`${real.url}/api/orders?q=${reference}`, { headers: await real.staffHeaders() });
    return ((await res.json()) as { items: { id: string; storeOrderId: string }[] }).items;
  }

  it("retries a 503 with the same Idempotency-Key and places one order", async () => {
    const keys: (string | undefined)[] = [];
    const flaky = await fake((req, res) => {
      keys.push(req.headers["idempotency-key"] as string | undefined);
      if (keys.length === 1) {
        res.writeHead(503, { "content-type": "application/json" }).end('{"error":"unavailable"}');
        return;
      }
      void forward(req, real.url).then((answer) => {
        send(res, answer);
      });
    });
    const sent = order("PO-RETRY-503");

    const result = await createWarehouseClient({
      signingKey: STORE_TEST_KEY,
      baseUrl: flaky.url,
      timeoutMs: 5000,
      logger,
      resilience: fast,
    }).createOrder(sent);

    expect(result).toMatchObject({ kind: "placed", order: { storeOrderId: sent.storeOrderId } });
    expect(keys).toEqual([`"${sent.storeOrderId}"`, `"${sent.storeOrderId}"`]);
    expect(await warehouseOrders("PO-RETRY-503")).toHaveLength(1);
  });

  it("retries an attempt that timed out after the warehouse stored the order, and gets that order back, not a second", async () => {
    let attempts = 0;
    // The first answer is lost on the way back: the warehouse has the order, the client never hears so.
    const lossy = await fake((req, res) => {
      attempts++;
      const first = attempts === 1;
      void forward(req, real.url).then((answer) => {
        if (!first) send(res, answer);
      });
    });
    const sent = order("PO-RETRY-TIMEOUT");

    const result = await createWarehouseClient({
      signingKey: STORE_TEST_KEY,
      baseUrl: lossy.url,
      timeoutMs: 3000,
      logger,
      resilience: fast,
    }).createOrder(sent);

    expect(attempts).toBe(2);
    const stored = await warehouseOrders("PO-RETRY-TIMEOUT");
    expect(stored).toHaveLength(1);
    expect(result).toMatchObject({ kind: "placed", order: { id: stored[0]?.id } });
  });

  it("retries an answer cut off mid-body (the warehouse died while sending it) instead of calling it outside the contract", async () => {
    let attempts = 0;
    // The first 201 loses its connection halfway through the body, as when the warehouse is killed.
    const dying = await fake((req, res) => {
      attempts++;
      const first = attempts === 1;
      void forward(req, real.url).then((answer) => {
        if (!first) {
          send(res, answer);
          return;
        }
        res.writeHead(answer.status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(answer.body)) });
        res.write(answer.body.slice(0, 20), () => res.destroy());
      });
    });
    const sent = order("PO-CUT-OFF");

    const result = await createWarehouseClient({
      signingKey: STORE_TEST_KEY,
      baseUrl: dying.url,
      timeoutMs: 3000,
      logger,
      resilience: fast,
    }).createOrder(sent);

    expect(attempts).toBe(2);
    const stored = await warehouseOrders("PO-CUT-OFF");
    expect(stored).toHaveLength(1);
    expect(result).toMatchObject({ kind: "placed", order: { id: stored[0]?.id } });
  });

  it.each([
    [400, '{"error":"validation_failed","message":"no","correlationId":"x"}', { kind: "failed" }],
    [401, '{"error":"unauthenticated","message":"no","correlationId":"x"}', { kind: "unavailable", reason: "unauthorized" }],
    [409, '{"error":"idempotency_key_in_flight","message":"busy","correlationId":"x"}', { kind: "unavailable", reason: "in_progress" }],
    [422, '{"error":"idempotency_key_reused","message":"no","correlationId":"x"}', { kind: "failed" }],
  ])("does not retry a %i", async (status, body, expected) => {
    let requests = 0;
    const refusing = await fake((_, res) => {
      requests++;
      res.writeHead(status, { "content-type": "application/json" }).end(body);
    });

    const result = await createWarehouseClient({
      signingKey: STORE_TEST_KEY,
      baseUrl: refusing.url,
      timeoutMs: 2000,
      logger,
      resilience: fast,
    }).createOrder(order());

    expect(result).toMatchObject(expected);
    expect(requests).toBe(1);
  });

  it("signs every attempt with its own token for the warehouse, a retry included", async () => {
    const tokens: (string | undefined)[] = [];
    const flaky = await fake((req, res) => {
      tokens.push(req.headers.authorization);
      if (tokens.length === 1) {
        res.writeHead(503).end();
        return;
      }
      void forward(req, real.url).then((answer) => {
        send(res, answer);
      });
    });

    const result = await createWarehouseClient({
      signingKey: STORE_TEST_KEY,
      baseUrl: flaky.url,
      timeoutMs: 5000,
      logger,
      resilience: fast,
    }).createOrder(order());

    expect(result).toMatchObject({ kind: "placed" });
    const checks = await Promise.all(
      tokens.map((token) =>
        verifyServiceAuthorization(token, {
          key: TEST_SERVICE_KEYS.store.publicKey,
          issuer: "store-web",
          audience: "warehouse-api",
          request: { method: "POST", url: `${real.url}/api/orders` },
        }),
      ),
    );
    expect(checks).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
    const jtis = checks.map((check) => (check.ok ? check.claims.jti : undefined));
    expect(new Set(jtis).size).toBe(2);
  });

  it("keeps an order the warehouse refuses for its token (no signing key configured) for later, without retrying now", async () => {
    const result = await createWarehouseClient({ baseUrl: real.url, timeoutMs: 2000, logger, resilience: fast }).createOrder(
      order("PO-UNSIGNED"),
    );

    expect(result).toEqual({ kind: "unavailable", reason: "unauthorized" });
    expect(await warehouseOrders("PO-UNSIGNED")).toHaveLength(0);
  });

  it("does not retry a rejection, and the warehouse keeps one rejected order", async () => {
    const result = await createWarehouseClient({
      signingKey: STORE_TEST_KEY,
      baseUrl: real.url,
      timeoutMs: 2000,
      logger,
      resilience: fast,
    }).createOrder(order("F-ONCE"));

    expect(result).toMatchObject({ kind: "rejected" });
    expect(await warehouseOrders("F-ONCE")).toHaveLength(1);
  });

  it("opens the circuit after consecutive failures, then fails fast without sending, and the health report shows it", async () => {
    let orderRequests = 0;
    let healthy = false;
    const failing = await fake((req, res) => {
      if (req.url === "/healthz") {
        res.writeHead(200).end("{}");
        return;
      }
      orderRequests++;
      if (!healthy) {
        res.writeHead(503).end();
        return;
      }
      void forward(req, real.url).then((answer) => {
        send(res, answer);
      });
    });
    const lines: Record<string, unknown>[] = [];
    const watched = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const client = createWarehouseClient({
      signingKey: STORE_TEST_KEY,
      baseUrl: failing.url,
      timeoutMs: 2000,
      logger: watched,
      resilience: { ...fast, retries: 2, breakerThreshold: 5, halfOpenAfterMs: 10_000 },
    });
    vi.useFakeTimers({ toFake: ["Date"] });

    expect(await client.createOrder(order())).toEqual({ kind: "unavailable", reason: "server_error" });
    expect(client.breakerState()).toBe("closed");
    // Two more attempts make five in a row: the circuit opens on the second attempt of this order.
    expect(await client.createOrder(order())).toEqual({ kind: "unavailable", reason: "circuit_open" });
    expect(orderRequests).toBe(5);
    expect(client.breakerState()).toBe("open");

    expect(await client.createOrder(order())).toEqual({ kind: "unavailable", reason: "circuit_open" });
    expect(orderRequests).toBe(5);
    expect(await warehouseHealth(client)).toEqual({ reachable: true, breaker: "open" });
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringMatching(/circuit breaker opened/) }));

    // Ten seconds later one trial order goes through; it succeeds, and the circuit closes.
    healthy = true;
    vi.setSystemTime(Date.now() + 10_000);
    expect(await client.createOrder(order("PO-AFTER-BREAK"))).toMatchObject({ kind: "placed" });
    expect(client.breakerState()).toBe("closed");
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining([expect.stringMatching(/circuit breaker half-open/), "warehouse circuit breaker closed"]),
    );
  });

  it("gives up within its budget when every attempt times out", async () => {
    let attempts = 0;
    const silent = await fake(() => {
      attempts++;
    });
    const started = performance.now();

    // Six attempts of 150 ms each would take 900 ms: the 300 ms budget stops them after two or so.
    const client = createWarehouseClient({
      signingKey: STORE_TEST_KEY,
      baseUrl: silent.url,
      timeoutMs: 300,
      logger,
      resilience: { ...fast, retries: 5 },
    });

    expect(await client.createOrder(order())).toEqual({ kind: "unavailable", reason: "timeout" });
    expect(attempts).toBeLessThan(4);
    expect(performance.now() - started).toBeLessThan(700);
  });
});
