import { readFileSync } from "node:fs";

import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { flagsFromHeaders } from "@fishtag/tracing/flags";
import { startTracing } from "@fishtag/tracing/otel";

import { createStatusRelay, type StatusEvent } from "../status-events/relay.js";
import { jsonRequest, orderInput, orderRequest, readLogLines } from "../test/fixtures.js";
import { createTestWarehouse, TEST_SERVICE_KEYS, type TestWarehouse } from "../testing.js";
import type { Order } from "./orders.schemas.js";

// The priority lane as the Store asks for it: a flag in the call's W3C baggage, read by the app's own
// propagator (registered here as index.ts registers it), never a field of the order.

const exporter = new InMemorySpanExporter();
let warehouse: TestWarehouse;
beforeAll(async () => {
  startTracing({ serviceName: "warehouse-api", exporter });
  warehouse = await createTestWarehouse({ logFile: true });
});
afterAll(async () => {
  await warehouse.close();
});
beforeEach(() => {
  exporter.reset();
});

const post = async (headers: Record<string, string>) => warehouse.app.request("/api/orders", await orderRequest(orderInput(), headers));
const logLines = () => readLogLines(readFileSync(warehouse.logFile ?? "", "utf8"));

describe("POST /api/orders with flags in its baggage", () => {
  it("stores an order sent with priority-lane as priority, says so in its answer, span and log line", async () => {
    const res = await post({
      "x-correlation-id": "checkout-priority",
      baggage: "fishtag.correlation_id=checkout-priority,fishtag.flags=priority-lane",
    });

    expect(res.status).toBe(201);
    const order = (await res.json()) as Order;
    expect(order.priority).toBe(true);
    const staff = await warehouse.staffHeaders();
    expect(await (await warehouse.app.request(`/api/orders/${order.id}`, { headers: staff })).json()).toMatchObject({ priority: true });

    const route = exporter.getFinishedSpans().find((span) => span.name === "POST /api/orders");
    expect(route?.attributes["fishtag.flags"]).toBe("priority-lane");
    const received = logLines().find((line) => line.msg === "order received" && line.correlationId === "checkout-priority");
    expect(received).toMatchObject({ flags: "priority-lane", priority: true });
  });

  it.each([
    ["no baggage", {}],
    ["other baggage only", { baggage: "fishtag.correlation_id=c,tenant=acme" }],
    ["only flags this warehouse does not know", { baggage: "fishtag.flags=gift-wrap+next-day" }],
  ])("stores an order with %s as a plain one", async (_what, headers) => {
    const res = await post(headers);

    expect(res.status).toBe(201);
    expect(((await res.json()) as Order).priority).toBe(false);
  });

  it("reads priority-lane among flags it does not know, however the caller encoded the separator", async () => {
    for (const baggage of ["fishtag.flags=gift-wrap+priority-lane", "fishtag.flags=gift-wrap%2Bpriority-lane;ttl=5"]) {
      const res = await post({ baggage });
      expect(((await res.json()) as Order).priority).toBe(true);
    }
  });

  it("drops a malformed flags entry with a warning that gives its length, never its value, and takes the order as a plain one", async () => {
    const res = await post({ "x-correlation-id": "checkout-malformed", baggage: "fishtag.flags=PRIORITY-LANE%0D%0Aforged%3A%20line" });

    expect(res.status).toBe(201);
    expect(((await res.json()) as Order).priority).toBe(false);
    const warning = logLines().find((line) => line.correlationId === "checkout-malformed" && line.level === "warn");
    expect(warning).toMatchObject({ msg: "malformed fishtag.flags baggage entry dropped", flagsLength: 27 });
    expect(JSON.stringify(logLines())).not.toMatch(/forged|PRIORITY/);
  });

  it.each([
    ["junk", "%%%,=,;;;,fishtag.flags"],
    ["an entry without a value", "fishtag.flags="],
    ["a bad percent-escape", "fishtag.flags=%E0%A4%A"],
    ["a huge header", `fishtag.flags=${"priority-lane+".repeat(600)}priority-lane`],
    ["control characters", "fishtag.flags=\u0001\u0002"],
  ])("answers a malformed baggage header (%s) as if it were absent, never with a 5xx", async (_what, baggage) => {
    const res = await post({ baggage });

    expect(res.status).toBe(201);
    expect(((await res.json()) as Order).priority).toBe(false);
  });

  it("answers a request that is otherwise invalid with its own 400, whatever its baggage", async () => {
    const res = await warehouse.app.request(
      "/api/orders",
      await orderRequest({ ...orderInput(), lines: [] }, { baggage: "fishtag.flags=priority-lane\u0001" }),
    );

    expect(res.status).toBe(400);
  });
});

describe("status events", () => {
  it("carry the flags of the order they are about back in their baggage, whatever the staff member's request had", async () => {
    const priority = (await (await post({ baggage: "fishtag.flags=priority-lane" })).json()) as Order;
    const plain = (await (await post({})).json()) as Order;
    const staff = await warehouse.staffHeaders();
    for (const order of [priority, plain]) {
      const moved = await warehouse.app.request(
        `/api/orders/${order.id}/transitions`,
        jsonRequest({ to: "picking" }, { ...staff, baggage: "fishtag.flags=priority-lane" }),
      );
      expect(moved.status).toBe(200);
    }

    const sent = new Map<string, unknown>();
    const relay = createStatusRelay({
      db: warehouse.database,
      logger: warehouse.logger,
      storeUrl: "http://store.test",
      signingKey: TEST_SERVICE_KEYS.warehouse.signingKey,
      fetch: (_url, init) => {
        const event = JSON.parse(init?.body as string) as StatusEvent;
        sent.set(event.orderId, flagsFromHeaders(new Headers(init?.headers)).flags);
        return Promise.resolve(new Response(null, { status: 204 }));
      },
    });
    expect(await relay.runOnce()).toMatchObject({ delivered: 2 });

    expect(Object.fromEntries(sent)).toEqual({ [priority.id]: ["priority-lane"], [plain.id]: [] });
    const delivered = logLines().filter((line) => line.msg === "status event delivered");
    expect(delivered.map((line) => [line.orderId, line.flags])).toEqual([
      [priority.id, "priority-lane"],
      [plain.id, undefined],
    ]);
  });
});
