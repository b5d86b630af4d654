import type { KeyObject } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

import { testKeyPair } from "@fishtag/service-auth/testing";
import { serviceAuthorization, type TokenTarget } from "@fishtag/service-auth/tokens";
import type { TrustedProxies } from "@fishtag/service-kit/client-address";
import { createDatabase, TEST_POSTGRES_URL_VARIABLE } from "@fishtag/service-kit/testing/postgres-cluster";
import { runStatement } from "@fishtag/service-kit/testing/statements";
import { createLogger, type Logger } from "@fishtag/tracing/logger";

import { createApp, type App } from "./app.js";
import { closeDatabase, openDatabase, type Database, type Db } from "./db/client.js";
import * as postgresSchema from "./db/schema.postgres.js";
import type { PasswordCheckBudget } from "./staff/password.js";
import { createStaffRepo } from "./staff/staff.repo.js";
import type { TracesSource } from "./traces/receiver.js";

/** The status-event relay, for the contract tests that run it against the store's real endpoint. */
export { createStatusRelay, type StatusRelay } from "./status-events/relay.js";
/** The sign-in limits, for the fault tests that attack them. */
export { SIGN_IN_LIMITS } from "./staff/sign-in-throttle.js";

export const TEST_STAFF = { email: "staff@warehouse.test", name: "Sam Staff", password: "correct horse battery staple" };
/** An admin: manages the staff accounts as well. */
export const TEST_ADMIN = {
  email: "admin@warehouse.test",
  name: "Ada Admin",
  password: "admin horse battery staple",
  role: "admin",
} as const;

/**
 * Key pairs made once per test process: the test warehouse trusts `store.publicKey`, and a test relay
 * signs with `warehouse.signingKey`. Also used by the Store's contract tests.
 */
export const TEST_SERVICE_KEYS = { store: testKeyPair(), warehouse: testKeyPair() };

/** `Bearer <token>` as the Store signs it for the test warehouse: fresh on every call, for order creation unless `target` says otherwise. */
export function storeAuthorization(target: TokenTarget = { method: "POST", url: "http://localhost/api/orders" }): Promise<string> {
  return serviceAuthorization({ key: TEST_SERVICE_KEYS.store.signingKey, issuer: "store-web", audience: "warehouse-api", ...target });
}

/**
 * Tests sign in far more often than staff do, back to back and many at once, on a machine that may be
 * busy building: the production budget would refuse them, so a test warehouse gets room. Tests of the
 * budget pass their own.
 */
const TEST_PASSWORD_CHECKS: PasswordCheckBudget = { atOnce: 64, share: 1, burstMs: 60_000 };

export type StaffHeaders = { cookie: string; "x-csrf-token": string };

export type TestWarehouse = {
  app: App;
  /** Its database, in the dialect the run is testing (service-kit's TEST_POSTGRES_URL_VARIABLE chooses). */
  database: Database;
  /** Where that database is: a SQLite file, or a Postgres URL. */
  location: string;
  /** The SQLite database itself, for a test that reads or breaks it directly; throws on a Postgres run. */
  db: Db;
  /**
   * Every row of a table, read in the run's dialect: the test names SQLite's table, and Postgres's of the
   * same name has the same row type (db/schema.types.test.ts).
   */
  rows: <T extends SQLiteTable>(table: T) => Promise<T["$inferSelect"][]>;
  /** Runs one statement both dialects read, with `?` for each of `params`. */
  execute: (statement: string, ...params: unknown[]) => Promise<void>;
  logger: Logger;
  /** The JSON log lines, when the warehouse was made with `logFile: true`. */
  logFile: string | undefined;
  /**
   * Creates TEST_STAFF (once) and signs in: the headers a dashboard request would carry (session cookie
   * and CSRF token).
   */
  staffHeaders: () => Promise<StaffHeaders>;
  /** The same for TEST_ADMIN. */
  adminHeaders: () => Promise<StaffHeaders>;
  /** Signs in (creating the account once, as given) and returns the headers of its session. */
  signIn: (account: { email: string; name: string; password: string; role?: "admin" | "staff" }) => Promise<StaffHeaders>;
  close: () => Promise<void>;
};

/** The dialect this test run's warehouses use. */
export const testDialect = (): Database["dialect"] => (process.env[TEST_POSTGRES_URL_VARIABLE] ? "postgres" : "sqlite");

/**
 * A warehouse app on its own freshly migrated database (a SQLite file in a temporary folder, or a Postgres
 * database of its own): for this package's route tests and for the Store's contract tests, which run its
 * client against the real thing.
 */
export async function createTestWarehouse(
  options: {
    rejectPrefix?: string;
    logFile?: boolean;
    storePublicKey?: KeyObject | undefined;
    trustedProxies?: TrustedProxies;
    passwordChecks?: PasswordCheckBudget;
    relayRunning?: () => boolean;
    traces?: TracesSource;
    /** Another replica of this warehouse: the same database (Postgres), an app and logger of its own. */
    replicaOf?: TestWarehouse;
  } = {},
): Promise<TestWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), "warehouse-test-"));
  const cluster = process.env[TEST_POSTGRES_URL_VARIABLE];
  const location = options.replicaOf?.location ?? (cluster ? await createDatabase(cluster) : join(dir, "warehouse.db"));
  const db = await openDatabase(location);
  const logFile = options.logFile ? join(dir, "warehouse.log") : undefined;
  const logger = createLogger({ service: "warehouse-api", level: logFile ? "info" : "silent", file: logFile, stdout: false });
  const app = createApp({
    db,
    logger,
    rejectPrefix: options.rejectPrefix ?? "F",
    // Left out: the test store's key; passed as undefined: none, so every service call is refused.
    storePublicKey: "storePublicKey" in options ? options.storePublicKey : TEST_SERVICE_KEYS.store.publicKey,
    trustedProxies: options.trustedProxies,
    passwordChecks: options.passwordChecks ?? TEST_PASSWORD_CHECKS,
    ...(options.relayRunning ? { relayRunning: options.relayRunning } : {}),
    traces: options.traces,
  });
  const staff = createStaffRepo(db);
  const signIn: TestWarehouse["signIn"] = async (account) => {
    if (!(await staff.findUserByEmail(account.email))) await staff.addUser(account);
    const res = await app.request("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    if (res.status !== 200) throw new Error(`signing in as ${account.email} answered ${res.status}`);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    return { cookie, "x-csrf-token": csrfToken };
  };
  return {
    app,
    database: db,
    location,
    get db() {
      if (db.dialect !== "sqlite") throw new Error("this test reads SQLite directly: it runs on the SQLite run only");
      return db.db;
    },
    rows: async <T extends SQLiteTable>(table: T): Promise<T["$inferSelect"][]> => {
      if (db.dialect === "sqlite") return db.db.select().from(table).all();
      const twin = Object.values(postgresSchema).find(
        (candidate) => is(candidate, PgTable) && getTableName(candidate) === getTableName(table),
      );
      if (!twin || !is(twin, PgTable)) throw new Error(`no Postgres table ${getTableName(table)}`);
      return await db.db.select().from(twin);
    },
    execute: (statement, ...params) => runStatement(db, statement, ...params),
    logger,
    logFile,
    signIn,
    staffHeaders: () => signIn(TEST_STAFF),
    adminHeaders: () => signIn(TEST_ADMIN),
    close: async () => {
      await closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
