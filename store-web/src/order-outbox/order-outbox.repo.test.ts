import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { reposOn } from "../repos";
import { ada, newCustomer, testDialect, testStore, type TestStore } from "../test/store-db";
import { checkoutLeaseMsFor } from "./order-outbox.repo";
import { claimMsFor } from "./order-outbox.repo.postgres";

const BUDGET_MS = 5000;
const CHECKOUT_LEASE_MS = checkoutLeaseMsFor(BUDGET_MS);

let store: TestStore;
beforeEach(async () => {
  store = await testStore();
});
afterEach(async () => {
  await store.close();
});

// Now: a claim runs from the later of the relay's `now` and the process clock, so a time in the past would not move it.
const placedAt = new Date();
const after = (ms: number) => placedAt.getTime() + ms;

async function place(): Promise<string> {
  const order = await store.orders.create(
    {
      customerId: newCustomer(),
      correlationId: `checkout-${crypto.randomUUID()}`,
      ...ada,
      lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 1, unitPriceCents: 1450 }],
    },
    placedAt,
  );
  return order.id;
}

const ids = (rows: { storeOrderId: string }[]) => rows.map((row) => row.storeOrderId);

describe("the order outbox", () => {
  it("leaves a new order to its checkout for the checkout's lease, then hands it to the relay", async () => {
    const id = await place();

    expect(await store.outbox.due(after(CHECKOUT_LEASE_MS - 1), 10)).toEqual([]);
    expect(ids(await store.outbox.due(after(CHECKOUT_LEASE_MS), 10))).toEqual([id]);
  });

  it("hands out no row once it is delivered, and a rescheduled row when its time comes", async () => {
    const [delivered, retried] = [await place(), await place()];
    await store.outbox.delivered(delivered, after(1));
    await store.outbox.retryAt(retried, after(CHECKOUT_LEASE_MS + 30_000), "warehouse unavailable");

    expect(await store.outbox.due(after(CHECKOUT_LEASE_MS), 10)).toEqual([]);
    expect(await store.outbox.due(after(CHECKOUT_LEASE_MS + 30_000), 10)).toEqual([
      expect.objectContaining({ storeOrderId: retried, attempts: 1, lastError: "warehouse unavailable" }),
    ]);
  });
});

// Every replica runs a relay on Postgres: a row one took is another's only once its claim has run out.
// SQLite has one process, and nothing to claim against.
describe.runIf(testDialect() === "postgres")("the order outbox's claims between replicas", () => {
  it("keeps a row one relay took from another until the claim runs out, which is as long as ten deliveries take", async () => {
    const id = await place();
    const otherReplica = reposOn(store.database, BUDGET_MS).outbox;
    const taken = after(CHECKOUT_LEASE_MS);

    expect(ids(await store.outbox.due(taken, 10))).toEqual([id]);
    expect(await otherReplica.due(taken, 10)).toEqual([]);
    expect(await otherReplica.due(taken + 10 * BUDGET_MS, 10), "ten deliveries fit in the claim").toEqual([]);
    // The replica that took it died without an outcome: the row is the other's once the claim has passed.
    expect(ids(await otherReplica.due(taken + claimMsFor(BUDGET_MS), 10))).toEqual([id]);
    expect(claimMsFor(BUDGET_MS), "a replica killed mid-delivery holds its rows a minute at the most").toBeLessThanOrEqual(60_000);
  });

  it("claims ten rows at a time, so the rest go to another replica at once", async () => {
    const placed: string[] = [];
    for (let n = 0; n < 15; n++) placed.push(await place());
    const taken = after(CHECKOUT_LEASE_MS);

    const first = ids(await store.outbox.due(taken, 50));
    const second = ids(await reposOn(store.database, BUDGET_MS).outbox.due(taken, 50));

    expect(first).toEqual(placed.slice(0, 10));
    expect(second).toEqual(placed.slice(10));
  });

  it("records no outcome over one another replica recorded since its claim ran out", async () => {
    const id = await place();
    const taken = after(CHECKOUT_LEASE_MS);
    await store.outbox.due(taken, 10);
    const otherReplica = reposOn(store.database, BUDGET_MS).outbox;
    await otherReplica.due(taken + claimMsFor(BUDGET_MS), 10);
    await otherReplica.delivered(id, taken + claimMsFor(BUDGET_MS) + 100);

    // The first replica's late answer was a timeout: it must not put the delivered row back in the queue.
    await store.outbox.retryAt(id, taken + claimMsFor(BUDGET_MS) + 60_000, "timeout");

    expect(await store.outbox.find(id)).toMatchObject({ state: "delivered", lastError: null });
  });
});
