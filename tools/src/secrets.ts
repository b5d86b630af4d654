/**
 * The secrets `npm start` and `npm run dev` hand to the services: from the environment when set,
 * otherwise made up once and kept in ./data (git-ignored, readable by this user only). They are never
 * printed or logged.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DATA_DIR } from "./paths.js";

export const ADMIN_FILE = join(DATA_DIR, "staff-admin.json");
const EVENTS_SECRET_FILE = join(DATA_DIR, "events-secret");

function keptSecret<T>(file: string, make: () => T, parse: (text: string) => T, format: (value: T) => string): T {
  if (existsSync(file)) return parse(readFileSync(file, "utf8"));
  const value = make();
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(file, format(value), { mode: 0o600 });
  return value;
}

type Account = { email: string; password: string };

/** The dashboard's first account: from the environment if set, otherwise made up once. */
export function adminAccount(): Account {
  const { WAREHOUSE_ADMIN_EMAIL: email, WAREHOUSE_ADMIN_PASSWORD: password } = process.env;
  if (email && password) return { email, password };
  return keptSecret<Account>(
    ADMIN_FILE,
    () => ({ email: "admin@fishtag.test", password: randomBytes(18).toString("base64url") }),
    (text) => JSON.parse(text) as Account,
    (account) => `${JSON.stringify(account, null, 2)}\n`,
  );
}

/** The shared secret the warehouse sends with its status events and the store checks: one value for both. */
export function eventsSecret(): string {
  return (
    process.env.WAREHOUSE_EVENTS_SECRET ??
    keptSecret(
      EVENTS_SECRET_FILE,
      () => randomBytes(32).toString("base64url"),
      (text) => text.trim(),
      (secret) => `${secret}\n`,
    )
  );
}
