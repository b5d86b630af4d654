import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, describe, expect, it } from "vitest";

import { MIGRATIONS_FOLDER, openDatabase } from "../db/client.js";
import { createOrdersRepo } from "./orders.repo.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the migrations folder that stops after the first `count` migrations. */
function migrationsUpTo(count: number): string {
  dir = mkdtempSync(join(tmpdir(), "migrations-"));
  const folder = join(dir, "drizzle");
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: unknown[] };
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return folder;
}

describe("migration 0001 (order lifecycle)", () => {
  it("backfills the status counts and a first event for orders made before it", () => {
    const folder = migrationsUpTo(1);
    const path = join(folder, "..", "warehouse.db");
    const before = new Database(path);
    migrate(drizzle(before), { migrationsFolder: folder });
    const insert = before.prepare(
      `INSERT INTO orders (id, store_order_id, reference, status, customer_name, customer_email, shipping_line1,
         shipping_city, shipping_postal_code, shipping_country, total_cents, correlation_id, created_at)
       VALUES (?, ?, ?, ?, 'A', 'a@b.co', 'l', 'c', 'p', 'GB', 100, ?, 1700000000000)`,
    );
    insert.run("01900000-0000-7000-8000-000000000001", "s-1", "PO-1", "received", "old-1");
    insert.run("01900000-0000-7000-8000-000000000002", "s-2", "F-1", "rejected", "old-2");
    before.close();

    const db = openDatabase(path);
    const orders = createOrdersRepo(db);

    expect(orders.counts()).toMatchObject({ received: 1, rejected: 1 });
    expect(orders.events("01900000-0000-7000-8000-000000000002")).toEqual([
      expect.objectContaining({
        type: "rejected",
        toStatus: "rejected",
        actor: "store",
        correlationId: "old-2",
        at: "2023-11-14T22:13:20.000Z",
      }),
    ]);
    expect(orders.findById("01900000-0000-7000-8000-000000000001")?.updatedAt).toBe("2023-11-14T22:13:20.000Z");
    db.$client.close();
  });
});
