import { resolve } from "node:path";

import { env } from "../env";
import { remember } from "../lib/singleton.server";
import { openDatabase, type Db } from "./client.server";

/**
 * The store's database, migrated to the committed migrations, one connection per process. server.ts
 * opens it at start-up, before Next takes a request, so a database that cannot be opened or migrated
 * stops the start; request-time code gets the same connection. Opened on first use, never at import:
 * `next build` imports every route module and must not create a database file. The migrations folder is
 * taken from the working directory (store-web/ for every script and the image), as Next takes its own.
 */
export function db(): Db {
  return remember("db", () => openDatabase(env.STORE_DB_PATH, { migrationsFolder: resolve("drizzle") }));
}
