import type Database from "better-sqlite3";
import type { Pool } from "pg";

/** A service's database as its test harness holds it: SQLite's connection, or Postgres's pool. */
export type TestDatabase = { dialect: "sqlite"; db: { $client: Database.Database } } | { dialect: "postgres"; db: { $client: Pool } };

/**
 * Runs one statement both dialects read, with `?` for each of `params` (numbered for Postgres): how a test
 * that runs on both sets up a state no API makes (a price changed, a row aged, a trigger that fails).
 */
export async function runStatement(database: TestDatabase, statement: string, ...params: unknown[]): Promise<void> {
  if (database.dialect === "sqlite") {
    database.db.$client.prepare(statement).run(...params);
    return;
  }
  let n = 0;
  await database.db.$client.query(
    statement.replace(/\?/g, () => `$${String(++n)}`),
    params,
  );
}
