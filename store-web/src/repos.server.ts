import { database } from "./db/db.server";
import { env } from "./env";
import { remember } from "./lib/singleton.server";
import { reposOn, type Repos } from "./repos";

export type { Repos } from "./repos";

/** The store's repositories on its database, prepared once per process like the connection they run on. */
export function repos(): Repos {
  return remember("repos", () => reposOn(database(), env.WAREHOUSE_TIMEOUT_MS));
}
