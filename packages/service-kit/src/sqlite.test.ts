import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";

import { databaseReadiness, openSqlite } from "./sqlite.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("openSqlite", () => {
  it("creates the file and its folder with the pragmas of ADR 0005", () => {
    dir = mkdtempSync(join(tmpdir(), "service-kit-"));
    const db = openSqlite(join(dir, "nested", "service.db"), { schema: {} });
    try {
      expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
      // 1 is NORMAL.
      expect(db.$client.pragma("synchronous", { simple: true })).toBe(1);
      expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(db.$client.pragma("busy_timeout", { simple: true })).toBe(5000);
      expect(db.$client.pragma("temp_store", { simple: true })).toBe(2);
      expect(db.get<{ one: number }>(sql`select 1 as one`)).toEqual({ one: 1 });
    } finally {
      db.$client.close();
    }
  });

  it("opens an in-memory database without touching the disk", () => {
    const db = openSqlite(":memory:", { schema: {} });
    expect(db.$client.memory).toBe(true);
    db.$client.close();
  });
});

describe("databaseReadiness", () => {
  it("is ready with every migration in the file at its path, and not once the file is removed or replaced under the running service", () => {
    dir = mkdtempSync(join(tmpdir(), "service-kit-"));
    const migrations = join(dir, "drizzle");
    mkdirSync(join(migrations, "meta"), { recursive: true });
    writeFileSync(join(migrations, "meta", "_journal.json"), JSON.stringify({ entries: [] }));
    const path = join(dir, "service.db");
    const db = openSqlite(path, { schema: {}, migrationsFolder: migrations });
    try {
      const ready = databaseReadiness(
        () => db.$client,
        migrations,
        () => undefined,
      );
      expect(ready()).toBeUndefined();

      renameSync(path, `${path}.moved`);
      expect(ready()).toMatch(/removed or replaced/);
      // Another database moved into its place is not the one the service writes to either. (Made elsewhere:
      // opened at the path, it would share the moved database's -wal and -shm files.)
      const other = join(dir, "other.db");
      openSqlite(other, { schema: {} }).$client.close();
      renameSync(other, path);
      expect(ready()).toMatch(/removed or replaced/);

      renameSync(`${path}.moved`, path);
      expect(ready()).toBeUndefined();
    } finally {
      db.$client.close();
    }
  });
});
