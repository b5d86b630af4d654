import { mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";

export type SqliteDb<Schema extends Record<string, unknown>> = BetterSQLite3Database<Schema> & {
  $client: Database.Database;
};

export type OpenSqliteOptions<Schema extends Record<string, unknown>> = {
  /** The service's drizzle tables, for its typed queries. */
  schema: Schema;
  /** The committed migrations (drizzle-kit's output): the database is brought to the latest one. */
  migrationsFolder?: string;
};

/**
 * Opens (creating the file and its folder if needed) a service's own SQLite database with the pragmas of
 * ADR 0005, and migrates it. `:memory:` works too, for tests that want no file at all.
 */
export function openSqlite<Schema extends Record<string, unknown>>(
  path: string,
  { schema, migrationsFolder }: OpenSqliteOptions<Schema>,
): SqliteDb<Schema> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL: the pages and the list read while an order or a status event is being written.
  sqlite.pragma("journal_mode = WAL");
  // In WAL mode NORMAL is durable against a crash of the process; only an OS crash or a power cut can
  // lose the last transactions. FULL would fsync every commit.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // Savepoints (one per write in a group commit) keep the pages they change in a statement journal; in a
  // temporary file that cost about 45 µs per order here, in memory about 10.
  sqlite.pragma("temp_store = MEMORY");
  // A second connection (a CLI, a test reading the file) waits for the writer instead of failing at once.
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema, casing: "snake_case" });
  if (migrationsFolder) migrate(db, { migrationsFolder });
  return db;
}

/** Which file a path names (device and inode), or undefined when it names none. */
function fileIdentity(path: string): string | undefined {
  try {
    const { dev, ino } = statSync(path);
    return `${String(dev)}:${String(ino)}`;
  } catch {
    return undefined;
  }
}

/**
 * Why a service's database should not get traffic (for /readyz), or undefined when it can: it must answer,
 * hold every migration this build was made with (a database an older build migrated is not this one's),
 * and still be the file at its path: SQLite goes on writing to a file deleted, or renamed away or over,
 * under it (a volume remounted, a restore moved into place), and all of that would be lost at the next
 * start. The journal is read, and the file's identity taken (by absolute path), once per service, when the
 * check is made.
 */
export function databaseReadiness(
  sqlite: () => Database.Database,
  migrationsFolder: string,
  onError: (error: unknown) => void,
): () => string | undefined {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  const expected = journal.entries.length;
  const opened = sqlite();
  const path = opened.memory ? undefined : resolve(opened.name);
  const identity = path === undefined ? undefined : fileIdentity(path);
  // The service opened it a moment ago: a file it cannot find now is already gone, not a check to skip.
  if (path !== undefined && identity === undefined) throw new Error(`databaseReadiness: no database file at ${path}`);
  return () => {
    let applied: number;
    try {
      applied = (sqlite().prepare("select count(*) as applied from __drizzle_migrations").get() as { applied: number }).applied;
    } catch (error) {
      onError(error);
      return "The database did not answer.";
    }
    if (path !== undefined && fileIdentity(path) !== identity)
      return "The database file was removed or replaced: what is written now would be lost at the next start.";
    return applied < expected ? `The database has ${String(applied)} of ${String(expected)} migrations.` : undefined;
  };
}
