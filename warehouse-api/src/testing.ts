import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, type Logger } from "@fishtag/tracing/logger";
import { createApp, type App } from "./app.js";
import { openDatabase, type Db } from "./db/client.js";
import { createStaffRepo } from "./staff/staff.repo.js";

export const TEST_STAFF = { email: "staff@warehouse.test", name: "Sam Staff", password: "correct horse battery staple" };

export type StaffHeaders = { cookie: string; "x-csrf-token": string };

export type TestWarehouse = {
  app: App;
  db: Db;
  logger: Logger;
  /** The JSON log lines, when the warehouse was made with `logFile: true`. */
  logFile: string | undefined;
  /**
   * Creates TEST_STAFF (once) and signs in: the headers a dashboard request would carry (session cookie
   * and CSRF token).
   */
  staffHeaders: () => Promise<StaffHeaders>;
  close: () => void;
};

/**
 * A warehouse app on its own freshly migrated database in a temporary folder: for this package's
 * route tests and for the Store's contract tests, which run its client against the real thing.
 */
export function createTestWarehouse(options: { rejectPrefix?: string; logFile?: boolean } = {}): TestWarehouse {
  const dir = mkdtempSync(join(tmpdir(), "warehouse-test-"));
  const db = openDatabase(join(dir, "warehouse.db"));
  const logFile = options.logFile ? join(dir, "warehouse.log") : undefined;
  const logger = createLogger({ service: "warehouse-api", level: logFile ? "info" : "silent", file: logFile, stdout: false });
  const app = createApp({ db, logger, rejectPrefix: options.rejectPrefix ?? "F" });
  const staff = createStaffRepo(db);
  return {
    app,
    db,
    logger,
    logFile,
    staffHeaders: async () => {
      if (!staff.findUserByEmail(TEST_STAFF.email)) await staff.addUser(TEST_STAFF);
      const res = await app.request("/api/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: TEST_STAFF.email, password: TEST_STAFF.password }),
      });
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      return { cookie, "x-csrf-token": csrfToken };
    },
    close: () => {
      if (db.$client.open) db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
