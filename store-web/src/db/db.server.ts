import { resolve } from "node:path";

import { postgresReadiness } from "@fishtag/service-kit/postgres";
import { databaseReadiness } from "@fishtag/service-kit/sqlite";

import { env } from "../env";
import { remember } from "../lib/singleton.server";
import { openDatabase, openPostgresDatabase, type Database } from "./client.server";

/**
 * The committed migrations, one folder per dialect, taken from the working directory (store-web/ for every
 * script and the image), as Next takes its own. /readyz checks the database against the same folder.
 */
export const MIGRATIONS_FOLDERS = { sqlite: resolve("drizzle/sqlite"), postgres: resolve("drizzle/postgres") } as const;

const KEY = "database";

/**
 * Opens the store's database (Postgres when STORE_DATABASE_URL is set, SQLite at STORE_DB_PATH otherwise)
 * and migrates it, once per process. server.ts calls it at start-up, before Next takes a request, so a
 * database that cannot be opened or migrated stops the start; never at import: `next build` imports every
 * route module and must not create a database.
 */
export async function openStoreDatabase(onPoolError?: (error: Error) => void): Promise<Database> {
  const opened = remember<Promise<Database>>(KEY, async () =>
    env.STORE_DATABASE_URL
      ? {
          dialect: "postgres",
          db: await openPostgresDatabase(env.STORE_DATABASE_URL, {
            migrationsFolder: MIGRATIONS_FOLDERS.postgres,
            poolSize: env.STORE_DB_POOL_SIZE,
            ...(onPoolError ? { onPoolError } : {}),
          }),
        }
      : { dialect: "sqlite", db: openDatabase(env.STORE_DB_PATH, { migrationsFolder: MIGRATIONS_FOLDERS.sqlite }) },
  );
  const database = await opened;
  remember("openedDatabase", () => database);
  return database;
}

/** The database server.ts opened, for request-time code (repos.server.ts). */
export function database(): Database {
  return remember<Database>("openedDatabase", () => {
    throw new Error("the store's database is opened by server.ts at start-up (openStoreDatabase) before any request");
  });
}

/** Why the database should not get traffic (for /readyz), or undefined when it can. */
export function databaseProbe(opened: Database, onError: (error: unknown) => void): () => Promise<string | undefined> {
  if (opened.dialect === "postgres") return postgresReadiness(opened.db.$client, MIGRATIONS_FOLDERS.postgres, onError);
  const check = databaseReadiness(() => opened.db.$client, MIGRATIONS_FOLDERS.sqlite, onError);
  return () => Promise.resolve(check());
}
