import { fileURLToPath } from "node:url";

import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { openPostgres } from "@fishtag/service-kit/postgres";
import { startThrowawayPostgres, type ThrowawayPostgres } from "@fishtag/service-kit/testing/postgres-cluster";

import { createPostgresCartRepo } from "../cart/cart.repo.postgres";
import { createLimiterFor, sweepRateLimits } from "../lib/limiter";
import { createPostgresProductsRepo } from "../products/products.repo.postgres";
import { openDatabase, type Database, type PgDb } from "./client.server";
import * as schema from "./schema.postgres";
import { products, rateLimits } from "./schema.postgres";

// What only replicas on one Postgres database can do (a throwaway cluster): change one cart at once, and
// share their rate limits. The carts' own behaviours run on both dialects in cart/cart.repo.test.ts. Each
// test gets a fresh database.

const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle/postgres", import.meta.url));

const newCustomer = () => crypto.randomUUID();

let cluster: ThrowawayPostgres;
beforeAll(async () => {
  cluster = await startThrowawayPostgres();
});
afterAll(async () => {
  await cluster.stop();
});

/** A replica's view of the test's database: its own pool, so its queries run on connections of their own. */
async function openReplica(url: string) {
  const db: PgDb = await openPostgres(url, { schema, migrationsFolder: MIGRATIONS_FOLDER });
  const database: Database = { dialect: "postgres", db };
  return { db, database, products: createPostgresProductsRepo(db), carts: createPostgresCartRepo(db) };
}

type Replica = Awaited<ReturnType<typeof openReplica>>;

let url: string;
let store: Replica;
const opened: PgDb[] = [];
/** Another replica on the test's database. */
async function replica(): Promise<Replica> {
  const another = await openReplica(url);
  opened.push(another.db);
  return another;
}
beforeEach(async () => {
  url = await cluster.createDatabase();
  store = await replica();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.$client.end()));
});

describe("the catalog", () => {
  it("finds one product by SKU, a withdrawn one too, and nothing for an unknown SKU", async () => {
    await store.db.update(products).set({ active: false }).where(eq(products.sku, "BAG-TOTE"));

    expect(await store.products.find("MUG-TEAL")).toMatchObject({ sku: "MUG-TEAL", priceCents: 1450, active: true });
    expect(await store.products.find("BAG-TOTE")).toMatchObject({ sku: "BAG-TOTE", active: false });
    expect(await store.products.find("NOPE-1")).toBeUndefined();
    expect((await store.products.listActive()).map((product) => product.sku)).not.toContain("BAG-TOTE");
  });
});

describe("carts changed by several replicas at once", () => {
  it("counts every add: two at once of one product by one customer end with their sum", async () => {
    const other = await replica();
    // Ten customers at once, each adding from both replicas: a lost update has ten chances to show.
    const customers = Array.from({ length: 10 }, newCustomer);

    const results = await Promise.all(
      customers.flatMap((customer) => [store.carts.add(customer, "MUG-TEAL", 2), other.carts.add(customer, "MUG-TEAL", 3)]),
    );

    expect(results.every((result) => result.ok)).toBe(true);
    for (const customer of customers) {
      expect((await store.carts.get(customer)).lines.map((line) => [line.sku, line.quantity])).toEqual([["MUG-TEAL", 5]]);
    }
  });

  it("counts every add of many at once, and refuses the ones past 99 without losing the others", async () => {
    const other = await replica();
    const customer = newCustomer();
    await store.carts.add(customer, "TEE-FISH", 90);

    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 ? store : other).carts.add(customer, "TEE-FISH", 1)));

    expect(results.filter((result) => result.ok)).toHaveLength(9);
    expect(results.filter((result) => !result.ok)).toEqual(Array.from({ length: 11 }, () => ({ ok: false, error: "too_many" })));
    expect((await store.carts.get(customer)).itemCount).toBe(99);
  });
});

describe("rate limits", () => {
  it("refuse past their points, and say how many seconds to wait", async () => {
    const limiter = createLimiterFor(store.database, "checkout", 3, 60);

    expect([await limiter.take("10.0.0.1"), await limiter.take("10.0.0.1"), await limiter.take("10.0.0.1")]).toEqual([0, 0, 0]);
    const wait = await limiter.take("10.0.0.1");
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    // Another key has its own budget.
    expect(await limiter.take("10.0.0.2")).toBe(0);
  });

  it("are shared by replicas: two limiters on the one table count together, and refuse past the points at once", async () => {
    const other = await replica();
    const here = createLimiterFor(store.database, "lookup", 4, 900);
    const there = createLimiterFor(other.database, "lookup", 4, 900);

    expect(await here.take("ST-000123")).toBe(0);
    expect(await there.take("ST-000123")).toBe(0);
    const atOnce = await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 ? here : there).take("ST-000123")));

    expect(atOnce.filter((wait) => wait === 0)).toHaveLength(2);
    expect(await here.take("ST-000123")).toBeGreaterThan(0);
    expect(await there.take("ST-000123")).toBeGreaterThan(0);
  });

  it("keep one limit's counts apart from another's by their prefix", async () => {
    const checkout = createLimiterFor(store.database, "checkout", 1, 60);
    const lookup = createLimiterFor(store.database, "lookup", 1, 60);

    expect(await checkout.take("10.0.0.1")).toBe(0);
    expect(await lookup.take("10.0.0.1")).toBe(0);
    expect(await checkout.take("10.0.0.1")).toBeGreaterThan(0);
  });

  it("are swept once their window has passed, the live ones kept", async () => {
    const limiter = createLimiterFor(store.database, "checkout", 5, 60);
    await limiter.take("10.0.0.1");
    await store.db.insert(rateLimits).values({ key: "checkout:10.0.0.9", points: 5, expire: Date.now() - 1000 });

    expect(await sweepRateLimits(store.database)).toBe(1);
    expect((await store.db.select({ key: rateLimits.key }).from(rateLimits)).map((row) => row.key)).toEqual(["checkout:10.0.0.1"]);
    // A minute on, the live one has expired too.
    expect(await sweepRateLimits(store.database, Date.now() + 61_000)).toBe(1);
    expect(await store.db.select().from(rateLimits)).toEqual([]);
  });

  it("are in memory on SQLite, or without a database, with nothing there to sweep", async () => {
    // The limits never reach SQLite: a bare database stands for the store's.
    const database: Database = { dialect: "sqlite", db: openDatabase(":memory:") };
    try {
      for (const limiter of [createLimiterFor(database, "checkout", 1, 60), createLimiterFor(undefined, "checkout", 1, 60)]) {
        expect(await limiter.take("10.0.0.1")).toBe(0);
        expect(await limiter.take("10.0.0.1")).toBeGreaterThan(0);
      }
      expect(await sweepRateLimits(database)).toBe(0);
    } finally {
      database.db.$client.close();
    }
  });
});
