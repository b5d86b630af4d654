import { getTableColumns, getTableName, sql, type SQL, type Table } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import type { PgTable } from "drizzle-orm/pg-core";
import { v7 as uuidv7 } from "uuid";

import type { Database, Db, PgDb } from "../db/client.js";
import { orderEvents, orderLines, orders, orderStatusCounts } from "../db/schema.js";
import * as pg from "../db/schema.postgres.js";
import type { OrderStatus } from "./lifecycle.js";

// Realistic orders and their event trails for demos and benchmarks (`npm run seed`). Orders are spread
// over the last 90 days with ids minted at their own time (UUIDv7), so newest-first order and keyset
// pagination behave as after months of real use. Older orders are further along their lifecycle; about
// 2% were rejected, about 3% cancelled. The rows are made once (seedBatches) and written by one writer per
// dialect; both leave the planner statistics a long-used database would have.

const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Edsger",
  "Barbara",
  "Donald",
  "Frances",
  "Linus",
  "Margaret",
  "Ken",
  "Radia",
  "Tim",
  "Hedy",
  "Dennis",
  "Sophie",
];
const LAST = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Dijkstra",
  "Liskov",
  "Knuth",
  "Allen",
  "Torvalds",
  "Hamilton",
  "Thompson",
  "Perlman",
  "Berners-Lee",
  "Lamarr",
  "Ritchie",
  "Wilson",
];
const CITIES: [string, string, string][] = [
  ["London", "N1 9GU", "GB"],
  ["Dublin", "D02 X285", "IE"],
  ["Paris", "75011", "FR"],
  ["Berlin", "10115", "DE"],
  ["Amsterdam", "1012 AB", "NL"],
  ["Madrid", "28004", "ES"],
  ["Boston", "02118", "US"],
  ["Toronto", "M5V 2T6", "CA"],
];
const PRODUCTS: [string, string, number][] = [
  ["MUG-TEAL", "Enamel mug", 1450],
  ["TEE-FISH", "Fish-tag tee", 2400],
  ["NOTE-A5", "A5 notebook", 950],
  ["BAG-TOTE", "Canvas tote", 1800],
  ["STK-PACK", "Sticker pack", 500],
];
const STAFF = ["sam@warehouse.test", "alex@warehouse.test", "kim@warehouse.test"];
const DAY = 24 * 60 * 60 * 1000;
/** Orders per transaction: their lines and events take a few statements more. */
const BATCH = 1000;
/** The most values one SQLite statement may bind (SQLITE_MAX_VARIABLE_NUMBER, since 3.32). */
const SQLITE_MAX_PARAMETERS = 32_766;

// A small seeded generator: the same --seed gives the same database, which makes benchmarks repeatable.
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

/** The statuses an order of this age has passed through, after `received`. */
function historyFor(ageDays: number, roll: number): OrderStatus[] {
  if (roll < 0.03) return ["cancelled"];
  const steps: OrderStatus[] = ["picking", "packed", "shipped"];
  const done = ageDays > 3 ? 3 : ageDays > 1 ? 2 : ageDays > 0.3 ? 1 : 0;
  return steps.slice(0, done);
}

type SeedBatch = {
  orders: (typeof orders.$inferInsert)[];
  lines: (typeof orderLines.$inferInsert)[];
  events: (typeof orderEvents.$inferInsert)[];
};

/** The rows of `count` orders, oldest first, BATCH orders at a time. */
function* seedBatches(count: number, seedValue: number): Generator<SeedBatch> {
  const rnd = random(seedValue);
  const now = Date.now();
  // Oldest first, so ids (minted at each order's time) ascend with creation like real traffic.
  const times = Array.from({ length: count }, () => now - rnd.next() * 90 * DAY).sort((a, b) => a - b);

  for (let start = 0; start < count; start += BATCH) {
    const orderRows: SeedBatch["orders"] = [];
    const lineRows: SeedBatch["lines"] = [];
    const eventRows: SeedBatch["events"] = [];
    for (const createdMs of times.slice(start, start + BATCH)) {
      const id = uuidv7({ msecs: Math.floor(createdMs) });
      const first = rnd.pick(FIRST);
      const last = rnd.pick(LAST);
      const [city, postalCode, country] = rnd.pick(CITIES);
      const rejected = rnd.next() < 0.02;
      const reference = `${rejected ? "F" : "PO"}-${rnd.int(10000, 99999)}`;
      const correlationId = crypto.randomUUID();
      let status: OrderStatus = rejected ? "rejected" : "received";
      let at = createdMs;
      eventRows.push({
        orderId: id,
        type: rejected ? "rejected" : "created",
        fromStatus: null,
        toStatus: status,
        actor: "store",
        reason: null,
        correlationId,
        at: new Date(at),
      });
      if (!rejected) {
        for (const next of historyFor((now - createdMs) / DAY, rnd.next())) {
          at = Math.min(now, at + rnd.int(10, 600) * 60 * 1000);
          eventRows.push({
            orderId: id,
            type: "status_changed",
            fromStatus: status,
            toStatus: next,
            actor: rnd.pick(STAFF),
            reason: next === "cancelled" ? "Customer asked to cancel" : null,
            correlationId: crypto.randomUUID(),
            at: new Date(at),
          });
          status = next;
        }
      }
      let subtotalCents = 0;
      const lineCount = rnd.int(1, 4);
      for (let lineNo = 1; lineNo <= lineCount; lineNo++) {
        const [sku, name, unitPriceCents] = rnd.pick(PRODUCTS);
        const quantity = rnd.int(1, 5);
        subtotalCents += quantity * unitPriceCents;
        lineRows.push({ orderId: id, lineNo, sku, name, quantity, unitPriceCents });
      }
      // Charged as the store charges (its README): £4.95 shipping under £50, VAT at 20% included.
      const shippingCents = subtotalCents >= 5000 ? 0 : 495;
      const totalCents = subtotalCents + shippingCents;
      orderRows.push({
        id,
        storeOrderId: crypto.randomUUID(),
        // SD- for seeded: numbers no real store order will take.
        storeOrderNumber: `SD-${String(start + orderRows.length + 1).padStart(7, "0")}`,
        reference,
        status,
        customerName: `${first} ${last}`,
        customerEmail: `${first}.${last}.${rnd.int(1, 9999)}@example.com`.toLowerCase(),
        shippingLine1: `${rnd.int(1, 250)} Market Street`,
        shippingLine2: null,
        shippingCity: city,
        shippingPostalCode: postalCode,
        shippingCountry: country,
        subtotalCents,
        shippingCents,
        vatCents: Math.round((totalCents * 20) / 120),
        totalCents,
        correlationId,
        // About half, as the store's edge gives the priority lane: the received tab sorts on it.
        priority: rnd.next() < 0.5,
        createdAt: new Date(createdMs),
        updatedAt: new Date(at),
      });
    }
    yield { orders: orderRows, lines: lineRows, events: eventRows };
  }
}

/** The counts per status, from the orders themselves: the same statement in both dialects. */
const RECOUNT_STATUSES = sql`INSERT INTO order_status_counts (status, count) SELECT status, count(*) FROM orders GROUP BY status`;

/** `rows` in slices small enough for one INSERT into `table` each. */
function* statements<T>(table: Table, rows: T[], maxParameters: number): Generator<T[]> {
  const perRow = Math.floor(maxParameters / Object.keys(getTableColumns(table)).length);
  for (let i = 0; i < rows.length; i += perRow) yield rows.slice(i, i + perRow);
}

/**
 * Adds `count` orders; the same `seedValue` gives the same orders (apart from ids and times). The counts
 * per status are recounted once at the end rather than bumped per row: the same numbers, far fewer writes.
 */
export async function seedOrders(database: Database, count: number, seedValue = 42): Promise<void> {
  if (database.dialect === "sqlite") seedSqlite(database.db, count, seedValue);
  else await seedPostgres(database.db, count, seedValue);
}

function seedSqlite(db: Db, count: number, seedValue: number) {
  const limit = SQLITE_MAX_PARAMETERS;
  for (const batch of seedBatches(count, seedValue)) {
    db.transaction((tx) => {
      for (const rows of statements(orders, batch.orders, limit)) tx.insert(orders).values(rows).run();
      for (const rows of statements(orderLines, batch.lines, limit)) tx.insert(orderLines).values(rows).run();
      for (const rows of statements(orderEvents, batch.events, limit)) tx.insert(orderEvents).values(rows).run();
    });
  }
  db.transaction((tx) => {
    tx.delete(orderStatusCounts).run();
    tx.run(RECOUNT_STATUSES);
  });
  // May gather the planner's statistics (sqlite_stat1) after so many new rows, as a long-used database has them.
  db.$client.pragma("optimize");
}

async function seedPostgres(db: PgDb, count: number, seedValue: number) {
  // Two transactions at a time, on two connections, while Node makes the next batch: Postgres's work
  // (rows, seven indexes on orders, the lines' and events' foreign keys) then takes both cores. About
  // twice as fast as one at a time (50,000 orders: 5.9 s against 10.9 s on the 2-core dev machine).
  const writing = new Set<Promise<void>>();
  try {
    for (const batch of seedBatches(count, seedValue)) {
      if (writing.size >= 2) await Promise.race(writing);
      const write = db
        .transaction(async (tx) => {
          await tx.execute(unnestInsert(pg.orders, batch.orders));
          await tx.execute(unnestInsert(pg.orderLines, batch.lines));
          await tx.execute(unnestInsert(pg.orderEvents, batch.events));
        })
        .finally(() => writing.delete(write));
      writing.add(write);
    }
    await Promise.all(writing);
  } finally {
    // A failed batch ends the seed; the other is let finish before the caller closes the pool under it.
    await Promise.allSettled(writing);
  }
  await db.transaction(async (tx) => {
    await tx.delete(pg.orderStatusCounts);
    await tx.execute(RECOUNT_STATUSES);
  });
  // ANALYZE, so the planner chooses with the real numbers; VACUUM with it, because autovacuum would
  // otherwise visit these freshly filled tables at some later moment (in the middle of a benchmark), and
  // until a vacuum has set their visibility map no index-only scan can skip the table's pages.
  await db.execute(sql`VACUUM (ANALYZE) orders, order_lines, order_events, order_status_counts`);
}

/**
 * One INSERT of all `rows`, binding one array per column (unnest() turns them back into rows) rather than
 * one value per cell. drizzle's multi-row insert spent about 0.5 ms of CPU an order building its
 * statements (its checks run on every value), ten minutes per million orders; this is a small part of
 * that, and has no 65,535-parameter limit to slice the rows under. The columns are the table's own, named
 * as the database's casing (snake_case) names them; those the rows leave out (identities) get defaults.
 */
function unnestInsert(table: PgTable, rows: Record<string, unknown>[]): SQL {
  const [first] = rows;
  if (!first) throw new Error(`unnestInsert: no rows for ${getTableName(table)}`);
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => key in first);
  const names = columns.map(([, column]) => sql.identifier(column.keyAsName ? toSnakeCase(column.name) : column.name));
  const arrays = columns.map(([key, column]) => {
    const values = rows.map((row) => (row[key] === null || row[key] === undefined ? null : column.mapToDriverValue(row[key])));
    return sql`${sql.param(values)}::${sql.raw(column.getSQLType())}[]`;
  });
  return sql`INSERT INTO ${table} (${sql.join(names, sql`, `)}) SELECT * FROM unnest(${sql.join(arrays, sql`, `)})`;
}
