import { resolve } from "node:path";

import { env } from "../env";
import { remember } from "../lib/singleton.server";
import { openDatabase, type Db } from "./client.server";

/**
 * The committed SQLite migrations (drizzle/sqlite; Postgres's sit beside them in drizzle/postgres), taken
 * from the working directory (store-web/ for every script and the image), as Next takes its own. server.ts
 * checks the database against the same folder for /readyz.
 */
export const SQLITE_MIGRATIONS_FOLDER = resolve("drizzle/sqlite");

/**
 * The store's database, migrated to the committed migrations, one connection per process. server.ts
 * opens it at start-up, before Next takes a request, so a database that cannot be opened or migrated
 * stops the start; request-time code gets the same connection. Opened on first use, never at import:
 * `next build` imports every route module and must not create a database file.
 */
export function db(): Db {
  return remember("db", () => openDatabase(env.STORE_DB_PATH, { migrationsFolder: SQLITE_MIGRATIONS_FOLDER }));
}
