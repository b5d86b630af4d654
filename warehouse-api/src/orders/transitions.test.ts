import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { orderEvents, orders, statusOutbox } from "../db/schema.js";
import { jsonRequest, orderInput, orderRequest, readLogLines } from "../test/fixtures.js";
import { createTestWarehouse, TEST_STAFF, testDialect, type TestWarehouse } from "../testing.js";
import type { Order, OrderEvent } from "./orders.schemas.js";

let warehouse: TestWarehouse;
let staff: Record<string, string>;
beforeAll(async () => {
  warehouse = await createTestWarehouse({ logFile: true });
  staff = await warehouse.staffHeaders();
});
afterAll(async () => {
  await warehouse.close();
});

async function placeOrder(correlationId = "checkout"): Promise<Order> {
  const res = await warehouse.app.request("/api/orders", await orderRequest(orderInput(), { "x-correlation-id": correlationId }));
  return (await res.json()) as Order;
}

const move = (id: string, body: unknown, correlationId = "staff-action") =>
  warehouse.app.request(`/api/orders/${id}/transitions`, jsonRequest(body, { ...staff, "x-correlation-id": correlationId }));

const events = async (id: string) =>
  ((await (await warehouse.app.request(`/api/orders/${id}/events`, { headers: staff })).json()) as { items: OrderEvent[] }).items;

describe("POST /api/orders/:id/transitions", () => {
  it("moves an order to shipped step by step, each step in the trail with the staff member and its correlation ID", async () => {
    const order = await placeOrder("checkout-42");
    for (const [to, id] of [
      ["picking", "pick-1"],
      ["packed", "pack-1"],
      ["shipped", "ship-1"],
    ] as const) {
      const res = await move(order.id, { to }, id);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: order.id, status: to });
    }

    expect(
      (await events(order.id)).map(({ type, fromStatus, toStatus, actor, correlationId }) => ({
        type,
        fromStatus,
        toStatus,
        actor,
        correlationId,
      })),
    ).toEqual([
      { type: "created", fromStatus: null, toStatus: "received", actor: "store", correlationId: "checkout-42" },
      { type: "status_changed", fromStatus: "received", toStatus: "picking", actor: TEST_STAFF.email, correlationId: "pick-1" },
      { type: "status_changed", fromStatus: "picking", toStatus: "packed", actor: TEST_STAFF.email, correlationId: "pack-1" },
      { type: "status_changed", fromStatus: "packed", toStatus: "shipped", actor: TEST_STAFF.email, correlationId: "ship-1" },
    ]);
    const logged = readLogLines(readFileSync(warehouse.logFile ?? "", "utf8")).filter((line) => line.correlationId === "ship-1");
    expect(logged).toContainEqual(expect.objectContaining({ msg: "order status changed", orderId: order.id, to: "shipped" }));
  });

  it("answers 409 to a move the lifecycle does not allow, and changes nothing", async () => {
    const order = await placeOrder();
    const res = await move(order.id, { to: "shipped" }, "too-fast");

    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: "invalid_transition",
      message: "This order is received; it cannot move to shipped.",
      correlationId: "too-fast",
    });
    expect(await events(order.id)).toHaveLength(1);
  });

  it("requires a reason to cancel, and keeps it in the trail", async () => {
    const order = await placeOrder();
    const without = await move(order.id, { to: "cancelled" });
    expect(without.status).toBe(400);
    expect(await without.json()).toMatchObject({
      error: "validation_failed",
      issues: [{ path: "reason", message: "A reason is required to cancel an order." }],
    });

    expect((await move(order.id, { to: "cancelled", reason: "  customer called  " })).status).toBe(200);
    expect((await events(order.id)).at(-1)).toMatchObject({ toStatus: "cancelled", reason: "customer called" });
  });

  it("gives one success and one 409 when two staff move the same order at once", async () => {
    const order = await placeOrder();
    // Both saw "received" and both press "Move to picking".
    const [a, b] = await Promise.all([move(order.id, { to: "picking" }, "staff-a"), move(order.id, { to: "picking" }, "staff-b")]);

    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const trail = await events(order.id);
    expect(trail).toHaveLength(2);
    const winner = a.status === 200 ? "staff-a" : "staff-b";
    expect(trail[1]?.correlationId).toBe(winner);
  });

  it("answers 404 for an unknown order and 400 for an unknown status", async () => {
    expect((await move(crypto.randomUUID(), { to: "picking" })).status).toBe(404);
    const order = await placeOrder();
    expect((await move(order.id, { to: "lost" })).status).toBe(400);
  });
});

describe("GET /api/orders/:id/events", () => {
  it("answers 404 for an unknown order", async () => {
    const res = await warehouse.app.request(`/api/orders/${crypto.randomUUID()}/events`, { headers: staff });
    expect(res.status).toBe(404);
  });
});

describe("the status event a transition queues for the Store", () => {
  const outboxOf = async (orderId: string) => (await warehouse.rows(statusOutbox)).filter((row) => row.orderId === orderId);

  it("is one outbox row per status change, with the change's event and correlation ID, and none for a refused move", async () => {
    const order = await placeOrder();
    expect((await move(order.id, { to: "picking" }, "pick-1")).status).toBe(200);
    expect((await move(order.id, { to: "shipped" }, "too-fast")).status).toBe(409);

    const change = (await events(order.id)).at(-1);
    expect(await outboxOf(order.id)).toEqual([
      expect.objectContaining({
        eventId: change?.id,
        orderId: order.id,
        storeOrderId: order.storeOrderId,
        status: "picking",
        correlationId: "pick-1",
        at: new Date(change?.at ?? ""),
        state: "pending",
        attempts: 0,
      }),
    ]);
  });

  it("is written in the same transaction as the change: no row, no change", async () => {
    const order = await placeOrder();
    // A trigger that refuses every outbox row, in each dialect's words.
    const [fail, unfail] =
      testDialect() === "sqlite"
        ? [
            ["CREATE TRIGGER outbox_fails BEFORE INSERT ON status_outbox BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END"],
            ["DROP TRIGGER outbox_fails"],
          ]
        : [
            [
              "CREATE FUNCTION outbox_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$",
              "CREATE TRIGGER outbox_fails BEFORE INSERT ON status_outbox FOR EACH ROW EXECUTE FUNCTION outbox_fails()",
            ],
            ["DROP TRIGGER outbox_fails ON status_outbox", "DROP FUNCTION outbox_fails"],
          ];
    for (const statement of fail) await warehouse.execute(statement);
    try {
      expect((await move(order.id, { to: "picking" }, "pick-1")).status).toBe(500);
    } finally {
      for (const statement of unfail) await warehouse.execute(statement);
    }

    expect((await warehouse.rows(orders)).find((row) => row.id === order.id)?.status).toBe("received");
    expect((await warehouse.rows(orderEvents)).filter((row) => row.orderId === order.id)).toHaveLength(1);
    expect(await outboxOf(order.id)).toEqual([]);
  });
});
