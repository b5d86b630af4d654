import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { verifyServiceAuthorization } from "@fishtag/service-auth/tokens";

import { statusOutbox } from "../db/schema.js";
import type { OrderStatus } from "../orders/lifecycle.js";
import type { Order } from "../orders/orders.schemas.js";
import { jsonRequest, orderInput, orderRequest, readLogLines } from "../test/fixtures.js";
import { createTestWarehouse, TEST_SERVICE_KEYS, testDialect, type StaffHeaders, type TestWarehouse } from "../testing.js";
import { createStatusRelay, EVENTS_PATH, type StatusEvent, type StatusRelayOptions } from "./relay.js";

type Received = { method: string | undefined; url: string | undefined; headers: IncomingHttpHeaders; body: StatusEvent };
type Answer = { status: number; body?: string } | "hang";

const noContent = (): Answer => ({ status: 204 });

/** The Store's end of the contract, over real HTTP: records what arrives and answers what `answer` says. */
function fakeStore() {
  const received: Received[] = [];
  const hanging: (() => void)[] = [];
  let onRequest: (() => void) | undefined;
  const store = {
    received,
    /** What the Store answers to an event: a status and body, or nothing until release(). */
    answer: noContent as (event: StatusEvent) => Answer,
    server: undefined as Server | undefined,
    /** Resolves when the next request has arrived. */
    nextRequest: () => new Promise<void>((resolve) => (onRequest = resolve)),
    /** Answers the requests held by "hang" with a 204. */
    release: () => {
      for (const finish of hanging.splice(0)) finish();
    },
    listen(port = 0) {
      const server = createServer((req, res) => {
        let data = "";
        req.setEncoding("utf8");
        req.on("data", (chunk: string) => (data += chunk));
        req.on("end", () => {
          const body = JSON.parse(data) as StatusEvent;
          received.push({ method: req.method, url: req.url, headers: req.headers, body });
          onRequest?.();
          const answer = store.answer(body);
          if (answer === "hang") hanging.push(() => res.writeHead(204).end());
          else res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body ?? "");
        });
      });
      store.server = server;
      return new Promise<number>((resolve) => {
        server.listen(port, "127.0.0.1", () => {
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      const { server } = store;
      store.server = undefined;
      if (!server) return Promise.resolve();
      server.closeAllConnections();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
  return store;
}

let warehouse: TestWarehouse;
let staff: StaffHeaders;
let store: ReturnType<typeof fakeStore>;
let clock: number;

beforeEach(async () => {
  warehouse = await createTestWarehouse({ logFile: true });
  staff = await warehouse.staffHeaders();
  store = fakeStore();
});
afterEach(async () => {
  await store.close();
  await warehouse.close();
});

async function placeOrder(): Promise<Order> {
  const res = await warehouse.app.request("/api/orders", await orderRequest(orderInput(), { "x-correlation-id": "checkout" }));
  return (await res.json()) as Order;
}

async function move(id: string, to: OrderStatus, correlationId: string) {
  const body = to === "cancelled" ? { to, reason: "customer called" } : { to };
  return warehouse.app.request(`/api/orders/${id}/transitions`, jsonRequest(body, { ...staff, "x-correlation-id": correlationId }));
}

function relayTo(port: number, options: Partial<StatusRelayOptions> = {}) {
  // The outbox rows are stamped with the real time of the change; the relay's clock starts there and only
  // moves when a test moves it.
  clock = Date.now();
  return createStatusRelay({
    db: warehouse.database,
    logger: warehouse.logger,
    storeUrl: `http://127.0.0.1:${port}`,
    signingKey: TEST_SERVICE_KEYS.warehouse.signingKey,
    now: () => clock,
    random: () => 0.5,
    ...options,
  });
}

const outboxOf = async (orderId: string) =>
  (await warehouse.rows(statusOutbox)).filter((row) => row.orderId === orderId).sort((a, b) => a.id - b.id);

const statusesFor = (orderId: string) => store.received.filter(({ body }) => body.orderId === orderId).map(({ body }) => body.status);

const logLines = () => readLogLines(readFileSync(warehouse.logFile ?? "", "utf8"));

/** A port nothing listens on: the Store is down. */
async function closedPort(): Promise<number> {
  const port = await store.listen();
  await store.close();
  return port;
}

describe("the status relay", () => {
  // Replicas share the outbox on Postgres only (ADR 0015): one SQLite process runs one relay.
  it.skipIf(testDialect() !== "postgres")("on two replicas at once, sends each event once and each order's in order", async () => {
    const orders = [await placeOrder(), await placeOrder(), await placeOrder()];
    for (const order of orders) {
      await move(order.id, "picking", `pick-${order.id}`);
      await move(order.id, "packed", `pack-${order.id}`);
    }
    const port = await store.listen();
    const replica = await createTestWarehouse({ replicaOf: warehouse });
    try {
      const [one, other] = [relayTo(port), relayTo(port, { db: replica.database, logger: replica.logger })];
      // Both look at the outbox together, tick after tick, until neither finds anything due.
      for (let ticks = 0; ticks < 10; ticks++) {
        const [a, b] = await Promise.all([one.runOnce(), other.runOnce()]);
        if (a.delivered + b.delivered === 0) break;
      }
    } finally {
      await replica.close();
    }

    const ids = store.received.map(({ body }) => body.eventId);
    expect(new Set(ids).size, "no event sent twice").toBe(ids.length);
    expect(ids).toHaveLength(orders.length * 2);
    for (const order of orders) expect(statusesFor(order.id)).toEqual(["picking", "packed"]);
  });

  it("sends a status change to the Store exactly as the contract says, under the staff action's correlation ID", async () => {
    const order = await placeOrder();
    await move(order.id, "picking", "pick-1");
    const relay = relayTo(await store.listen());

    expect(await relay.runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0 });

    const [row] = await outboxOf(order.id);
    expect(store.received).toHaveLength(1);
    const [request] = store.received;
    expect(request).toMatchObject({
      method: "POST",
      url: "/api/warehouse-events",
      headers: { "content-type": "application/json", "x-correlation-id": "pick-1" },
    });
    // The token is what the Store checks: the warehouse's signature, for the Store, good for a minute.
    const authorization = request?.headers.authorization;
    const verified = await verifyServiceAuthorization(authorization, {
      key: TEST_SERVICE_KEYS.warehouse.publicKey,
      issuer: "warehouse-api",
      audience: "store-web",
      request: { method: "POST", url: `http://store.test${EVENTS_PATH}` },
    });
    expect(verified).toMatchObject({ ok: true, claims: { iss: "warehouse-api", aud: "store-web", jti: expect.any(String), htm: "POST" } });
    if (verified.ok) expect(verified.claims.exp - verified.claims.iat).toBeLessThanOrEqual(60);
    expect(request?.body).toEqual({
      eventId: row?.eventId,
      orderId: order.id,
      storeOrderId: order.storeOrderId,
      type: "order.status_changed",
      status: "picking",
      reason: null,
      at: row?.at.toISOString(),
    });
    expect(row).toMatchObject({ state: "delivered", attempts: 1, deliveredAt: new Date(clock), lastError: null });
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        level: "info",
        msg: "status event delivered",
        correlationId: "pick-1",
        eventId: row?.eventId,
        orderId: order.id,
        status: "picking",
        attempt: 1,
      }),
    );
    expect(JSON.stringify(logLines())).not.toContain(authorization?.slice("Bearer ".length));

    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0 });
  });

  it("keeps retrying while the Store is down, then delivers every event once and each order's in order", async () => {
    const port = await closedPort();
    const first = await placeOrder();
    const second = await placeOrder();
    for (const [to, id] of [
      ["picking", "pick-1"],
      ["packed", "pack-1"],
      ["shipped", "ship-1"],
    ] as const)
      await move(first.id, to, id);
    await move(second.id, "cancelled", "cancel-2");
    const relay = relayTo(port);

    // Only each order's oldest event is tried; the rest wait behind it. The wait doubles (random is 0.5).
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 2, parked: 0 });
      const [head, ...rest] = await outboxOf(first.id);
      expect(head).toMatchObject({ state: "pending", attempts: attempt, lastError: "ECONNREFUSED" });
      expect(rest.every((row) => row.attempts === 0)).toBe(true);
      const wait = (head?.nextAttemptAt.getTime() ?? 0) - clock;
      waits.push(wait);
      // Not due yet: nothing is tried.
      clock += wait - 1;
      expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0 });
      clock += 1;
    }
    expect(waits).toEqual([500, 1000, 2000]);
    expect(logLines()).toContainEqual(expect.objectContaining({ msg: "status outbox backlog", pending: 4, parked: 0 }));
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        level: "warn",
        msg: "status event delivery failed, will retry",
        correlationId: "pick-1",
        errorCode: "ECONNREFUSED",
        attempt: 3,
        retryInMs: 2000,
      }),
    );

    await store.listen(port);
    expect(await relay.runOnce()).toEqual({ delivered: 4, retried: 0, parked: 0 });
    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0 });

    expect(statusesFor(first.id)).toEqual(["picking", "packed", "shipped"]);
    expect(statusesFor(second.id)).toEqual(["cancelled"]);
    const eventIds = store.received.map(({ body }) => body.eventId);
    expect(new Set(eventIds).size).toBe(4);
    expect(store.received.filter(({ body }) => body.orderId === first.id).map(({ headers }) => headers["x-correlation-id"])).toEqual([
      "pick-1",
      "pack-1",
      "ship-1",
    ]);
    expect([...(await outboxOf(first.id)), ...(await outboxOf(second.id))].every((row) => row.state === "delivered")).toBe(true);
  });

  it.each([
    ["a 503", { status: 503, body: "down for maintenance" }, { statusCode: 503 }, "HTTP 503: down for maintenance"],
    ["a 429", { status: 429 }, { statusCode: 429 }, "HTTP 429"],
    // The keys disagree: nothing wrong with the event, so it waits for them to be fixed rather than being parked.
    ["a 401", { status: 401, body: "unauthenticated" }, { statusCode: 401 }, "HTTP 401: unauthenticated"],
    ["no answer in time", "hang", { errorCode: "timeout" }, "timeout"],
  ] as const)("retries after %s", async (_, answer, logged, lastError) => {
    const order = await placeOrder();
    await move(order.id, "picking", "pick-1");
    // Long enough for a real answer on a busy CI machine (50 ms was not), short enough for the "hang" case.
    const relay = relayTo(await store.listen(), { timeoutMs: 1000 });
    store.answer = () => answer;

    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 1, parked: 0 });
    expect((await outboxOf(order.id))[0]).toMatchObject({ state: "pending", attempts: 1, lastError });
    expect(logLines()).toContainEqual(
      expect.objectContaining({ msg: "status event delivery failed, will retry", correlationId: "pick-1", ...logged }),
    );

    store.answer = () => ({ status: 200, body: "ok" });
    clock += 500;
    expect(await relay.runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0 });
    expect((await outboxOf(order.id))[0]).toMatchObject({ state: "delivered", attempts: 2 });
  });

  it("parks an event the Store refuses with a 4xx, never resends it, and still sends the order's later events", async () => {
    const order = await placeOrder();
    await move(order.id, "picking", "pick-1");
    await move(order.id, "packed", "pack-1");
    const relay = relayTo(await store.listen());
    store.answer = (event) =>
      event.status === "picking" ? { status: 422, body: `unknown order\n${"x".repeat(10_000)}` } : { status: 204 };

    expect(await relay.runOnce()).toEqual({ delivered: 1, retried: 0, parked: 1 });

    const [parked, later] = await outboxOf(order.id);
    expect(parked).toMatchObject({ state: "parked", attempts: 1 });
    expect(parked?.lastError).toMatch(/^HTTP 422: unknown order x+$/);
    expect(parked?.lastError?.length).toBeLessThanOrEqual(600);
    expect(later).toMatchObject({ state: "delivered" });
    expect(logLines()).toContainEqual(
      expect.objectContaining({ level: "error", msg: "status event parked", correlationId: "pick-1", statusCode: 422 }),
    );

    clock += 24 * 60 * 60 * 1000;
    await move(order.id, "shipped", "ship-1");
    expect(await relay.runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0 });
    expect(statusesFor(order.id)).toEqual(["picking", "packed", "shipped"]);
  });

  it("picks up where it left off after a restart: a fresh relay sends the rows still pending", async () => {
    const port = await closedPort();
    const order = await placeOrder();
    await move(order.id, "picking", "pick-1");
    const before = relayTo(port);
    expect(await before.runOnce()).toEqual({ delivered: 0, retried: 1, parked: 0 });
    await before.stop();

    await store.listen(port);
    const after = relayTo(port);
    clock += 60 * 1000;
    expect(await after.runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0 });
    expect(statusesFor(order.id)).toEqual(["picking"]);
    expect((await outboxOf(order.id))[0]).toMatchObject({ state: "delivered", attempts: 2 });
  });

  it("runs one tick at a time, and stop() waits for the delivery in flight and starts no other", async () => {
    const first = await placeOrder();
    const second = await placeOrder();
    await move(first.id, "picking", "pick-1");
    await move(second.id, "picking", "pick-2");
    const relay = relayTo(await store.listen());
    store.answer = () => "hang";

    const arrived = store.nextRequest();
    const tick = relay.runOnce();
    expect(relay.runOnce()).toBe(tick);
    await arrived;
    const stopped = relay.stop();
    store.release();
    await stopped;

    expect(await tick).toEqual({ delivered: 1, retried: 0, parked: 0 });
    expect(store.received).toHaveLength(1);
    expect((await outboxOf(first.id))[0]).toMatchObject({ state: "delivered" });
    expect((await outboxOf(second.id))[0]).toMatchObject({ state: "pending", attempts: 0 });
    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0 });
  });
});
