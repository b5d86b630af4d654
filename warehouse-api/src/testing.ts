import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, type Logger } from "@fishtag/tracing/logger";
import { createApp, type App } from "./app.js";
import { openDatabase, type Db } from "./db/client.js";

export type TestWarehouse = {
  app: App;
  db: Db;
  logger: Logger;
  /** The JSON log lines, when the warehouse was made with `logFile: true`. */
  logFile: string | undefined;
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
  return {
    app,
    db,
    logger,
    logFile,
    close: () => {
      if (db.$client.open) db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
