/**
 * Fills the warehouse database with realistic orders and their event trails, for demos and benchmarks:
 *
 *   npm run seed -- --orders 100000          (from the repository root: ./data/warehouse.db)
 *
 * The database is the one the service would open: Postgres when WAREHOUSE_DATABASE_URL is set, otherwise
 * the SQLite file at WAREHOUSE_DB_PATH. Either is migrated first, as at the service's start.
 */
import { parseArgs } from "node:util";

import { closeDatabase, openDatabase } from "../db/client.js";
import { loadEnv } from "../env.js";
import { seedOrders } from "../orders/seed.js";

const { values } = parseArgs({ options: { orders: { type: "string", default: "1000" }, seed: { type: "string", default: "42" } } });
const count = Number(values.orders);
if (!Number.isInteger(count) || count < 1 || count > 10_000_000) {
  console.error("usage: npm run seed -- --orders <1..10000000> [--seed <number>]");
  process.exit(2);
}
const env = loadEnv();
const database = await openDatabase(env.WAREHOUSE_DATABASE_URL ?? env.WAREHOUSE_DB_PATH);
// Named without the URL's credentials: this line ends up in terminals and CI logs.
const target = env.WAREHOUSE_DATABASE_URL ? `Postgres database ${describePostgres(env.WAREHOUSE_DATABASE_URL)}` : env.WAREHOUSE_DB_PATH;
const started = performance.now();
try {
  await seedOrders(database, count, Number(values.seed));
} finally {
  await closeDatabase(database);
}
console.log(`Seeded ${count} orders into ${target} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);

function describePostgres(url: string): string {
  const { host, pathname } = new URL(url);
  return `${decodeURIComponent(pathname.slice(1))} on ${host}`;
}
