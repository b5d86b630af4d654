/**
 * Fills the warehouse database with realistic orders and their event trails, for demos and benchmarks:
 *
 *   npm run seed -- --orders 100000          (from the repository root: ./data/warehouse.db)
 */
import { parseArgs } from "node:util";

import { openSqliteDatabase } from "../db/client.js";
import { loadEnv } from "../env.js";
import { seedOrders } from "../orders/seed.js";

const { values } = parseArgs({ options: { orders: { type: "string", default: "1000" }, seed: { type: "string", default: "42" } } });
const count = Number(values.orders);
if (!Number.isInteger(count) || count < 1 || count > 10_000_000) {
  console.error("usage: npm run seed -- --orders <1..10000000> [--seed <number>]");
  process.exit(2);
}
const env = loadEnv();
if (env.WAREHOUSE_DATABASE_URL) {
  // The seed writes through SQLite's synchronous driver, fast enough for ten million orders; Postgres's would need its own.
  console.error("npm run seed fills the SQLite database (WAREHOUSE_DB_PATH); unset WAREHOUSE_DATABASE_URL to use it.");
  process.exit(2);
}
const db = openSqliteDatabase(env.WAREHOUSE_DB_PATH);
const started = performance.now();
seedOrders(db, count, Number(values.seed));
db.$client.pragma("optimize");
db.$client.close();
console.log(`Seeded ${count} orders into ${env.WAREHOUSE_DB_PATH} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
