import { afterAll, describe, expect, it } from "vitest";

import { orders } from "../db/schema.js";
import { createTestWarehouse } from "../testing.js";
import { NEXT_STATUSES, type OrderStatus } from "./lifecycle.js";
import { createOrdersRepo } from "./orders.repo.js";
import { seedOrders } from "./seed.js";

const warehouse = await createTestWarehouse();
afterAll(async () => {
  await warehouse.close();
});

describe("seedOrders", () => {
  it("writes orders whose counts, trails and ids hold together like real ones", async () => {
    // More than one batch of a thousand, so the batches and the recount at the end are both exercised.
    await seedOrders(warehouse.database, 1200);
    const repo = createOrdersRepo(warehouse.database);

    const grouped = new Map<OrderStatus, number>();
    for (const { status } of await warehouse.rows(orders)) grouped.set(status, (grouped.get(status) ?? 0) + 1);
    const counts = await repo.counts();
    expect([...grouped.values()].reduce((sum, n) => sum + n, 0)).toBe(1200);
    for (const [status, n] of grouped) expect(counts[status]).toBe(n);

    // Newest first by id is newest first by creation time.
    const { items } = await repo.list({ limit: 100 });
    const created = items.map((order) => order.createdAt);
    expect(created).toEqual([...created].sort().reverse());

    // Every trail starts with the Store's creation (or rejection) and follows the lifecycle to the status.
    for (const order of items) {
      const trail = await repo.events(order.id);
      expect(trail[0]).toMatchObject({ actor: "store", correlationId: order.correlationId, fromStatus: null });
      for (const event of trail.slice(1)) expect(NEXT_STATUSES[event.fromStatus ?? "rejected"]).toContain(event.toStatus);
      expect(trail.at(-1)?.toStatus).toBe(order.status);
    }
  });
});
