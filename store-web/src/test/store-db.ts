import { fileURLToPath } from "node:url";

import { createDatabase, TEST_POSTGRES_URL_VARIABLE } from "@fishtag/service-kit/testing/postgres-cluster";
import { runStatement } from "@fishtag/service-kit/testing/statements";

import { closeDatabase, openDatabase, openPostgresDatabase, type Database, type Db } from "../db/client.server";
import { reposOn } from "../repos";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle/sqlite", import.meta.url));
const POSTGRES_MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle/postgres", import.meta.url));

/** The dialect this test run's stores use. */
export const testDialect = (): Database["dialect"] => (process.env[TEST_POSTGRES_URL_VARIABLE] ? "postgres" : "sqlite");

/** A fresh store database built from the committed migrations, in the run's dialect, with its repositories. */
export async function testStore() {
  const cluster = process.env[TEST_POSTGRES_URL_VARIABLE];
  const database: Database = cluster
    ? {
        dialect: "postgres",
        db: await openPostgresDatabase(await createDatabase(cluster), { migrationsFolder: POSTGRES_MIGRATIONS_FOLDER }),
      }
    : { dialect: "sqlite", db: openDatabase(":memory:", { migrationsFolder: MIGRATIONS_FOLDER }) };
  return {
    database,
    /** The SQLite database itself, for a test that reads or breaks it directly; throws on a Postgres run. */
    get db(): Db {
      if (database.dialect !== "sqlite") throw new Error("this test reads SQLite directly: it runs on the SQLite run only");
      return database.db;
    },
    /** Runs one statement both dialects read, with `?` for each of `params`. */
    execute: (statement: string, ...params: unknown[]) => runStatement(database, statement, ...params),
    // The warehouse client's default budget (WAREHOUSE_TIMEOUT_MS): a relay's claim lasts as in production.
    ...reposOn(database, 5000),
    close: () => closeDatabase(database),
  };
}

export type TestStore = Awaited<ReturnType<typeof testStore>>;

export const newCustomer = () => crypto.randomUUID();

export const ada = {
  customer: { name: "Ada Lovelace", email: "ada@example.com" },
  shippingAddress: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
  reference: "PO-1001",
};
