import { resolve } from "node:path";

import { env } from "../env";
import { openDatabase, type Db } from "./client.server";

// server.ts and Next's bundles (pages, actions, route handlers) are built separately but run in one
// process: the connection lives on globalThis so they share it, whichever opens it first.
const globalForDb = globalThis as typeof globalThis & { __fishtagStoreDb?: Db };

/**
 * Opens the database and applies the committed migrations: server.ts calls it once at start-up, before
 * Next takes requests, so a database that cannot be opened or migrated stops the start. The folder is
 * taken from the working directory (store-web/ for every script and the image), as Next takes its own.
 */
export function openStoreDatabase(): Db {
  globalForDb.__fishtagStoreDb ??= openDatabase(env.STORE_DB_PATH, { migrationsFolder: resolve("drizzle") });
  return globalForDb.__fishtagStoreDb;
}

/**
 * The store's database, for request-time code. Opened lazily, never at import: `next build` imports
 * every route module and must not create a database file. Without server.ts in front (a bare
 * `next start`), the first request opens it and migrates it the same way.
 */
export function db(): Db {
  return openStoreDatabase();
}
