import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { ada, newCustomer, testStore, type TestStore } from "../test/store-db";
import { orderResponse } from "./order-api";

let store: TestStore;
beforeEach(async () => {
  store = await testStore();
});
afterEach(async () => {
  await store.close();
});

describe("GET /api/orders/[number]", () => {
  it("answers the customer who placed the order, and 404 to anyone else", async () => {
    const [owner, stranger] = [newCustomer(), newCustomer()];
    const { number } = await store.orders.create({
      customerId: owner,
      correlationId: "ref-1",
      ...ada,
      lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 1, unitPriceCents: 1450 }],
    });

    const mine = await orderResponse(store.orders, owner, number, "req-1");
    expect(mine.status).toBe(200);
    const body = (await mine.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      number: "ST-000001",
      status: "pending",
      totalCents: 1945,
      supportReference: "ref-1",
      priorityLane: false,
    });
    // What is ours stays ours: not the warehouse's id, nor who or what request moved the order.
    expect(Object.keys(body)).not.toContain("warehouseOrderId");
    expect(body.history).toEqual([{ status: "pending", at: expect.any(String), reason: null }]);

    for (const [customer, asked] of [
      [stranger, number],
      [undefined, number],
      [owner, "ST-000002"],
      [owner, "1"],
    ] as const) {
      const response = await orderResponse(store.orders, customer, asked, "req-2");
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "not_found", message: expect.any(String), correlationId: "req-2" });
    }
  });

  it("tells the customer an order placed with priority-lane is in the priority lane", async () => {
    const owner = newCustomer();
    const { number } = await store.orders.create({
      customerId: owner,
      correlationId: "ref-priority",
      ...ada,
      lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 1, unitPriceCents: 1450 }],
      flags: ["priority-lane"],
    });

    const body = (await (await orderResponse(store.orders, owner, number, "req-3")).json()) as Record<string, unknown>;
    expect(body.priorityLane).toBe(true);
    expect((await store.orders.findForCustomer(owner, 1))?.flags).toEqual(["priority-lane"]);
  });
});
