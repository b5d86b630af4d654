// The child processes of the list-orders benchmark (bench/list-orders.ts), so the client that times the
// pages never shares an event loop with the server it measures, and seeding a million orders (minutes of
// synchronous SQLite work) does not freeze the parent's progress output, budget timer or Ctrl-C.
//
//   list-server.ts seed <db> <orders> <seed>   seedOrders, exactly as `npm run seed` does
//   list-server.ts serve <db> <dir>            the full app as production runs it with LOG_FILE set (JSON
//                                              lines at info into <dir>/app.log, nothing on stdout)
//
// <db> is where the service's database would be: a SQLite file, or a postgres:// URL (openDatabase decides,
// as at the service's start).

import type { Server } from "node:http";
import { join } from "node:path";

import { serve } from "@hono/node-server";

import { limitHeapGrowth } from "@fishtag/service-kit/heap";
import { createLogger } from "@fishtag/tracing/logger";

import { createApp } from "../src/app.js";
import { closeDatabase, openDatabase } from "../src/db/client.js";
import { seedOrders } from "../src/orders/seed.js";
import { createStaffRepo } from "../src/staff/staff.repo.js";
import { answerRounds, countLines, rssKb, sendToParent } from "./child-process.js";
import { LIST_BENCH_STAFF, type ListServerMessage } from "./protocol.js";

function usage(): never {
  console.error("usage: forked by list-orders.ts as `list-server.ts seed <db> <orders> <seed>` or `list-server.ts serve <db> <dir>`");
  process.exit(2);
}

async function seed(location: string, countArg: string, seedArg: string) {
  const count = Number(countArg);
  const seedValue = Number(seedArg);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seedValue)) usage();
  const database = await openDatabase(location);
  // With the planner statistics it leaves: the plans the benchmark measures are the ones a seeded demo database gets.
  await seedOrders(database, count, seedValue);
  await closeDatabase(database);
  // The IPC channel would keep the process alive; the exit code is the whole answer.
  process.exit(0);
}

const send = (message: ListServerMessage, then?: () => void) => {
  sendToParent(message, then);
};

async function serveApp(location: string, dir: string) {
  // As src/index.ts starts the service.
  limitHeapGrowth();
  const logFile = join(dir, "app.log");
  const logger = createLogger({ service: "warehouse-api", level: "info", file: logFile, stdout: false });
  // Postgres's pool as the service has it by default (WAREHOUSE_DB_POOL_SIZE).
  const db = await openDatabase(location);
  const staff = createStaffRepo(db);
  // A kept database (--keep-db) already has the account from an earlier run.
  if (!(await staff.findUserByEmail(LIST_BENCH_STAFF.email))) await staff.addUser(LIST_BENCH_STAFF);
  // The list bench reads with a staff session only: no service calls, so no Store key.
  const app = createApp({ db, logger, rejectPrefix: "F", storePublicKey: undefined });

  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, ({ port }) => {
    send({ type: "ready", port, rssKb: rssKb() });
  }) as Server;
  answerRounds(server, (handled) => {
    server.close();
    server.closeAllConnections();
    // Closing the pool is the last of this process's work: a failure to do it is not the benchmark's.
    void closeDatabase(db)
      .catch((error: unknown) => {
        console.error("list-server: closing the database failed:", error);
      })
      .then(() => {
        logger.flush(() => {
          send({ type: "closed", handled, logLines: countLines(logFile) }, () => process.exit(0));
        });
      });
  });
}

const [mode, location, third, fourth] = process.argv.slice(2);
if (!process.send || !location || !third) usage();
if (mode === "seed" && fourth) await seed(location, third, fourth);
else if (mode === "serve") await serveApp(location, third);
else usage();
