import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";

import { MIGRATIONS_FOLDER } from "../db/client.js";

/**
 * A database as it was after the first `count` migrations, in a folder of its own: a migration's test
 * writes rows as they were then, and opens it with openDatabase to run the rest. `cleanUp` removes it.
 */
export function databaseBefore(count: number): { path: string; db: Database.Database; cleanUp: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "migrations-"));
  const folder = join(dir, "drizzle");
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: unknown[] };
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  const path = join(dir, "warehouse.db");
  const db = new Database(path);
  migrate(drizzle(db), { migrationsFolder: folder });
  return {
    path,
    db,
    cleanUp: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
