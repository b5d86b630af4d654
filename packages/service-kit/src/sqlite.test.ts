import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";

import { openSqlite } from "./sqlite.js";

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
