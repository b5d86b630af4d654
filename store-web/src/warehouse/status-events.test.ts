import type { KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { refusedAuthorizations, testKeyPair } from "@fishtag/service-auth/testing";
import { createReplayGuard, serviceAuthorization } from "@fishtag/service-auth/tokens";
import { createLogger } from "@fishtag/tracing/logger";
import { startTracing } from "@fishtag/tracing/otel";

import { jsonRoute } from "../lib/correlation.server";
import { ada, newCustomer, testStore, type TestStore } from "../test/store-db";
import type { StatusEvent } from "./status-event.schema";
import { handleStatusEvent } from "./status-events.handler";

// The warehouse's key pair: events are signed with the private half, checked against the public one.
const WAREHOUSE = testKeyPair();
const EVENTS_CALL = { method: "POST", url: "http://store.test/api/warehouse-events" };
const warehouseAuthorization = () =>
  serviceAuthorization({ key: WAREHOUSE.signingKey, issuer: "warehouse-api", audience: "store-web", ...EVENTS_CALL });
const refused = await refusedAuthorizations({ caller: WAREHOUSE, issuer: "warehouse-api", audience: "store-web", ...EVENTS_CALL });

// As server.ts starts it: flags ride in OpenTelemetry's context, which the process's context manager keeps.
const spans = new InMemorySpanExporter();
beforeAll(() => {
  startTracing({ serviceName: "store-web", exporter: spans });
});

let store: TestStore;
let logDir: string;
let logger: ReturnType<typeof createLogger>;
let customer: string;
let order: { id: string; number: string };

beforeEach(async () => {
  store = await testStore();
  // The handler's lines are part of its contract (the staff action's ID must be on them): read them back.
  logDir = mkdtempSync(join(tmpdir(), "store-events-"));
  logger = createLogger({ service: "store-web", level: "info", file: join(logDir, "store.log"), stdout: false });
  customer = newCustomer();
  order = await store.orders.create({
    customerId: customer,
    correlationId: "ref-checkout",
    ...ada,
    lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 1, unitPriceCents: 1450 }],
  });
  await store.orders.recordCheckoutOutcome(order.id, { status: "received", warehouseOrderId: "wh-1" }, "ref-checkout");
});
afterEach(async () => {
  await store.close();
  rmSync(logDir, { recursive: true, force: true });
});

function logLines(): Record<string, unknown>[] {
  return readFileSync(join(logDir, "store.log"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const event = (overrides: Partial<StatusEvent> = {}): StatusEvent => ({
  eventId: 10,
  orderId: "wh-1",
  storeOrderId: order.id,
  type: "order.status_changed",
  status: "picking",
  at: "2026-11-22T10:00:00.000Z",
  ...overrides,
});

const replay = createReplayGuard();

/** Through the same entry as the route: the request's correlation scope, and the JSON catch-all. */
async function post(request: Request, { publicKey }: { publicKey: KeyObject | undefined } = { publicKey: WAREHOUSE.publicKey }) {
  const route = jsonRoute((received, _context, correlationId) =>
    handleStatusEvent(received, correlationId, { orders: store.orders, publicKey, replay, logger }),
  );
  return route(request, undefined);
}

/** The event as the warehouse's relay sends it: with a fresh token, unless `authorization` says otherwise (undefined: none). */
async function send(body: unknown, options: { authorization?: string | undefined; correlationId?: string; baggage?: string } = {}) {
  const { correlationId = "staff-move-1" } = options;
  const authorization = "authorization" in options ? options.authorization : await warehouseAuthorization();
  const headers = new Headers({ "content-type": "application/json", "x-correlation-id": correlationId });
  if (authorization !== undefined) headers.set("authorization", authorization);
  if (options.baggage !== undefined) headers.set("baggage", options.baggage);
  const request = new Request("http://store.test/api/warehouse-events", {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return post(request);
}

const stored = () => store.orders.findById(order.id);
const warehouseHistory = async () => (await stored())?.history.filter((change) => change.source === "warehouse") ?? [];

describe("POST /api/warehouse-events", () => {
  it("keeps the reason a cancellation came with, for the customer", async () => {
    const response = await send(event({ status: "cancelled", reason: "Out of stock" }), { correlationId: "staff-cancel-1" });

    expect(response.status).toBe(200);
    expect(await warehouseHistory()).toEqual([expect.objectContaining({ status: "cancelled", reason: "Out of stock" })]);
  });

  it("applies a status change: the order's status and a history row with the staff action's correlation ID", async () => {
    const response = await send(event({ status: "shipped" }), { correlationId: "staff-ship-1" });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ applied: true });
    expect((await stored())?.status).toBe("shipped");
    expect(await warehouseHistory()).toEqual([
      { status: "shipped", source: "warehouse", correlationId: "staff-ship-1", at: "2026-11-22T10:00:00.000Z", reason: null },
    ]);
    expect(logLines()).toContainEqual(expect.objectContaining({ msg: "status event applied", correlationId: "staff-ship-1", eventId: 10 }));
  });

  it("records the flags the event brings back for its order on its log lines, once the warehouse's token is checked", async () => {
    const flagged = await send(event({ status: "picking" }), { correlationId: "staff-pick-9", baggage: "fishtag.flags=priority-lane" });
    const forged = await send(event({ eventId: 11 }), {
      authorization: "Bearer forged",
      correlationId: "forged-9",
      baggage: "fishtag.flags=priority-lane",
    });

    expect(flagged.status).toBe(200);
    expect(forged.status).toBe(401);
    expect(logLines()).toContainEqual(
      expect.objectContaining({ msg: "status event applied", correlationId: "staff-pick-9", flags: "priority-lane" }),
    );
    expect(logLines().filter((line) => line.correlationId === "forged-9" && "flags" in line)).toEqual([]);
    const spanOf = (correlationId: string) =>
      spans
        .getFinishedSpans()
        .find((span) => span.attributes["fishtag.correlation_id"] === correlationId && span.name === "receive status event");
    expect(spanOf("staff-pick-9")?.attributes["fishtag.flags"]).toBe("priority-lane");
    expect(spanOf("forged-9")?.attributes).toBeDefined();
    expect(spanOf("forged-9")?.attributes["fishtag.flags"]).toBeUndefined();
  });

  it("drops a malformed flags entry with a warning giving its length only, and applies the event all the same", async () => {
    const response = await send(event({ status: "picking" }), {
      correlationId: "staff-pick-10",
      baggage: "fishtag.flags=Priority%0Aforged",
    });

    expect(response.status).toBe(200);
    expect((await stored())?.status).toBe("picking");
    expect(logLines()).toContainEqual(
      expect.objectContaining({ msg: "malformed fishtag.flags baggage entry dropped", correlationId: "staff-pick-10", flagsLength: 15 }),
    );
    expect(JSON.stringify(logLines())).not.toContain("forged");
  });

  it("applies an event once: the same eventId again changes nothing", async () => {
    await send(event({ status: "picking" }));
    const again = await send(event({ status: "picking" }), { correlationId: "redelivery" });

    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ applied: false, reason: "duplicate" });
    expect(await warehouseHistory()).toHaveLength(1);
    expect(logLines()).toContainEqual(expect.objectContaining({ msg: "duplicate ignored", correlationId: "redelivery", level: "info" }));
  });

  it("ignores an event older than one already applied, so a late 'picking' cannot undo 'shipped'", async () => {
    await send(event({ eventId: 12, status: "shipped" }));
    const late = await send(event({ eventId: 11, status: "picking" }), { correlationId: "late-one" });

    expect(await late.json()).toEqual({ applied: false, reason: "stale" });
    expect((await stored())?.status).toBe("shipped");
    expect((await warehouseHistory()).map((change) => change.status)).toEqual(["shipped"]);
    expect(logLines()).toContainEqual(
      expect.objectContaining({ msg: "stale ignored", correlationId: "late-one", level: "info", lastEventId: 12 }),
    );
  });

  it("fills in the warehouse order id when the checkout never learned it", async () => {
    const other = await store.orders.create({
      customerId: customer,
      correlationId: "ref-2",
      ...ada,
      lines: [{ sku: "NOTE-A5", name: "A5 notebook", quantity: 1, unitPriceCents: 950 }],
    });
    await store.orders.recordCheckoutOutcome(other.id, { status: "failed" }, "ref-2");

    await send(event({ eventId: 20, storeOrderId: other.id, orderId: "wh-late", status: "received" }));

    expect(await store.orders.findById(other.id)).toMatchObject({ status: "received", warehouseOrderId: "wh-late" });
  });

  it.each(refused)(
    "refuses an event with %s: 401 and the error shape, a warning with the reason, changing nothing",
    async (_, authorization) => {
      const response = await send(event(), { authorization, correlationId: "intruder-1" });

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: "unauthenticated",
        message: expect.stringContaining("service token"),
        correlationId: "intruder-1",
      });
      expect(await warehouseHistory()).toEqual([]);
      expect(logLines()).toContainEqual(
        expect.objectContaining({
          level: "warn",
          msg: "status event refused: not authenticated",
          correlationId: "intruder-1",
          reason: expect.any(String),
        }),
      );
      const token = authorization?.replace(/^\S+ /, "");
      if (token) expect(JSON.stringify(logLines())).not.toContain(token);
    },
  );

  it("takes a token once: a captured event sent again with the same token is refused, not applied", async () => {
    const authorization = await warehouseAuthorization();
    await send(event({ eventId: 30, status: "picking" }), { authorization });
    const replayed = await send(event({ eventId: 31, status: "cancelled" }), { authorization, correlationId: "replayer" });

    expect(replayed.status).toBe(401);
    expect((await warehouseHistory()).map((change) => change.status)).toEqual(["picking"]);
    expect(logLines()).toContainEqual(expect.objectContaining({ correlationId: "replayer", reason: "replayed" }));
  });

  it("refuses every event with 401 while no warehouse key is configured", async () => {
    const request = new Request("http://store.test/api/warehouse-events", {
      method: "POST",
      headers: { authorization: await warehouseAuthorization(), "content-type": "application/json" },
      body: JSON.stringify(event()),
    });
    const response = await post(request, { publicKey: undefined });

    expect(response.status).toBe(401);
    expect(logLines()).toContainEqual(expect.objectContaining({ reason: "not_configured" }));
  });

  // Thunks: the order the events name is only made in beforeEach.
  it.each<[string, () => unknown]>([
    ["malformed JSON", () => "{not json"],
    ["a missing eventId", () => ({ ...event(), eventId: undefined })],
    ["a zero eventId", () => event({ eventId: 0 })],
    ["a fractional eventId", () => event({ eventId: 1.5 })],
    ["an unknown status", () => ({ ...event(), status: "lost" })],
    ["another event type", () => ({ ...event(), type: "order.created" })],
    ["a date that is not ISO", () => ({ ...event(), at: "yesterday" })],
    ["an array", () => [event()]],
  ])("refuses %s with 400", async (_, body) => {
    const response = await send(body());

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: expect.stringMatching(/^invalid_(json|event)$/),
      message: expect.any(String),
      correlationId: "staff-move-1",
    });
    expect(await warehouseHistory()).toEqual([]);
  });

  it("lists what is wrong with an event", async () => {
    const response = await send({ ...event(), status: "lost" });

    expect(await response.json()).toMatchObject({ error: "invalid_event", issues: [{ path: "status", message: expect.any(String) }] });
  });

  it("answers 413 to a body far larger than any event, without applying anything", async () => {
    const response = await send({ ...event(), padding: "x".repeat(20_000) });

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "payload_too_large", correlationId: "staff-move-1" });
    expect(await warehouseHistory()).toEqual([]);
  });

  it("answers 404 unknown_order for an order the store never recorded", async () => {
    const response = await send(event({ storeOrderId: crypto.randomUUID() }));

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "unknown_order", correlationId: "staff-move-1" });
  });
});
