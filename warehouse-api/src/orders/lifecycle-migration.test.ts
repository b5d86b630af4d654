import { afterEach, describe, expect, it } from "vitest";

import { openSqliteDatabase } from "../db/client.js";
import { databaseBefore } from "../test/migrations.js";
import { createOrdersRepo } from "./orders.repo.js";

let cleanUp: (() => void) | undefined;
afterEach(() => {
  cleanUp?.();
});

describe("migration 0001 (order lifecycle)", () => {
  it("backfills the status counts and a first event for orders made before it", async () => {
    const { path, db: before, cleanUp: remove } = databaseBefore(1);
    cleanUp = remove;
    const insert = before.prepare(
      `INSERT INTO orders (id, store_order_id, reference, status, customer_name, customer_email, shipping_line1,
         shipping_city, shipping_postal_code, shipping_country, total_cents, correlation_id, created_at)
       VALUES (?, ?, ?, ?, 'A', 'a@b.co', 'l', 'c', 'p', 'GB', 100, ?, 1700000000000)`,
    );
    insert.run("01900000-0000-7000-8000-000000000001", "s-1", "PO-1", "received", "old-1");
    insert.run("01900000-0000-7000-8000-000000000002", "s-2", "F-1", "rejected", "old-2");
    before.close();

    const db = { dialect: "sqlite" as const, db: openSqliteDatabase(path) };
    const orders = createOrdersRepo(db);

    expect(await orders.counts()).toMatchObject({ received: 1, rejected: 1 });
    expect(await orders.events("01900000-0000-7000-8000-000000000002")).toEqual([
      expect.objectContaining({
        type: "rejected",
        toStatus: "rejected",
        actor: "store",
        correlationId: "old-2",
        at: "2023-11-14T22:13:20.000Z",
      }),
    ]);
    expect((await orders.findById("01900000-0000-7000-8000-000000000001"))?.updatedAt).toBe("2023-11-14T22:13:20.000Z");
    db.db.$client.close();
  });
});
