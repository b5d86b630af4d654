// The Postgres twin of the SQLite plan test in orders.repo.test.ts: the list's pages and its searches must
// each read a range of an index (ended by the page's LIMIT) and never scan the orders, so a page costs about
// the same at 10k orders as at a million (issue 14; bench:list measures it).
//
// The plans are those of the statements the Postgres repository sends, caught on their way to the pool and
// explained with the same parameters, as pg's unnamed statements are planned: with the values. They are the
// planner's own choices on a seeded, ANALYZE'd database, not forced with enable_seqscan=off, which would
// also hide a missing index (Postgres then still scans, at a "disabled" cost). 20,000 orders are enough for
// the choice to mean something: with orders_customer_email_idx dropped, the email search's branch becomes
// a Seq Scan on orders and this test fails (tried when it was written). Each page must also read the index
// expected of it, not merely some index: the shipped tab once walked orders_pkey, cheap here and 13 ms a
// page at a million orders (orders.repo.postgres.ts says why).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { PgDb } from "../db/client.js";
import { createTestWarehouse, testDialect, type TestWarehouse } from "../testing.js";
import { createOrdersRepo, type OrdersRepo } from "./orders.repo.js";
import type { ListOrdersQuery } from "./orders.schemas.js";
import { seedOrders } from "./seed.js";

const ORDERS = 20_000;

/** One node of EXPLAIN (FORMAT JSON)'s tree, with the fields read here. */
type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
};

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/** What the scenarios look for: values of one order from the middle of the table, and a staff move. */
type Facts = { id: string; email: string; reference: string; storeOrderNumber: string; correlationId: string; staffMove: string };

type Scenario = {
  name: string;
  query: (facts: Facts) => ListOrdersQuery;
  /** The indexes of orders and order_events the statements read, sorted. */
  indexes: string[];
  /** Matched by the Index Cond of some read of orders: the page starts where the range does, not at the top. */
  range?: RegExp;
  /** A search sorts the few ids its branches found; a list page comes in the index's order, unsorted. */
  sorts?: boolean;
};

const SEARCH_INDEXES = [
  "order_events_correlation_id_idx",
  "orders_customer_email_idx",
  "orders_pkey",
  "orders_reference_lower_idx",
  "orders_store_order_number_idx",
];

const SCENARIOS: Scenario[] = [
  { name: "the first page", query: () => ({ limit: 20 }), indexes: ["orders_pkey"] },
  { name: "a page past a cursor", query: (f) => ({ limit: 20, cursor: f.id }), indexes: ["orders_pkey"], range: /\(id < '/ },
  ...(["rejected", "shipped"] as const).flatMap((status): Scenario[] => [
    // Shipped is nine orders in ten, and the newest are not shipped yet: walking orders_pkey from the top
    // and skipping the others would pass every order of the last few days first (orders.repo.postgres.ts).
    {
      name: `the ${status} tab`,
      query: () => ({ status, limit: 20 }),
      indexes: ["orders_status_id_idx"],
      range: new RegExp(`status = .*${status}`),
    },
    {
      name: `the ${status} tab past a cursor`,
      query: (f) => ({ status, limit: 20, cursor: f.id }),
      indexes: ["orders_status_id_idx"],
      range: new RegExp(`status = .*${status}.*id < '`),
    },
  ]),
  {
    name: "the received tab",
    query: () => ({ status: "received", limit: 10 }),
    indexes: ["orders_status_priority_id_idx"],
    range: /status = .*received/,
  },
  {
    name: "the received tab past a cursor",
    // The cursor's priority is looked up by its id (orders_pkey), then the page continues past (priority, id).
    query: (f) => ({ status: "received", limit: 10, cursor: f.id }),
    indexes: ["orders_pkey", "orders_status_priority_id_idx"],
    range: /status = .*received.*ROW\(priority, id\) < ROW/,
  },
  { name: "a search by email", query: (f) => ({ q: f.email.toUpperCase(), limit: 20 }), indexes: SEARCH_INDEXES, sorts: true },
  { name: "a search by PO number", query: (f) => ({ q: f.reference.toLowerCase(), limit: 20 }), indexes: SEARCH_INDEXES, sorts: true },
  {
    name: "a search by order number",
    query: (f) => ({ q: f.storeOrderNumber.toLowerCase(), limit: 20 }),
    indexes: SEARCH_INDEXES,
    sorts: true,
  },
  { name: "a search by checkout id", query: (f) => ({ q: f.correlationId, limit: 20 }), indexes: SEARCH_INDEXES, sorts: true },
  { name: "a search by staff move id", query: (f) => ({ q: f.staffMove, limit: 20 }), indexes: SEARCH_INDEXES, sorts: true },
  { name: "a search by order id", query: (f) => ({ q: f.id, limit: 20 }), indexes: SEARCH_INDEXES, sorts: true },
  {
    name: "a search within a status, past a cursor",
    query: (f) => ({ q: f.email, status: "shipped", limit: 20, cursor: f.id }),
    indexes: SEARCH_INDEXES,
    sorts: true,
  },
];

/** Each statement `work` sends through the pool, with its parameters. */
async function statementsOf(db: PgDb, work: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const spy = vi.spyOn(db.$client, "query");
  try {
    await work();
    return spy.mock.calls.map((call) => {
      const [config, values] = call as unknown[];
      const text = typeof config === "string" ? config : (config as { text: string }).text;
      return { text, values: Array.isArray(values) ? values : [] };
    });
  } finally {
    spy.mockRestore();
  }
}

describe.skipIf(testDialect() !== "postgres")("the list's query plans on Postgres", () => {
  let warehouse: TestWarehouse;
  let db: PgDb;
  let repo: OrdersRepo;
  let facts: Facts;

  beforeAll(async () => {
    warehouse = await createTestWarehouse();
    const { database } = warehouse;
    if (database.dialect !== "postgres") throw new Error("a Postgres run's warehouse is on Postgres");
    db = database.db;
    repo = createOrdersRepo(database);
    // Leaves the tables ANALYZE'd, as after a real seed or autovacuum.
    await seedOrders(database, ORDERS);
    const { rows: orders } = await db.$client.query<Omit<Facts, "staffMove">>(
      `SELECT id, customer_email AS email, reference, store_order_number AS "storeOrderNumber", correlation_id AS "correlationId"
         FROM orders ORDER BY id OFFSET $1 LIMIT 1`,
      [ORDERS / 2],
    );
    const { rows: moves } = await db.$client.query<{ correlationId: string }>(
      `SELECT correlation_id AS "correlationId" FROM order_events WHERE type = 'status_changed' AND id >= $1 ORDER BY id LIMIT 1`,
      [ORDERS * 1.5],
    );
    const [middle] = orders;
    const [move] = moves;
    if (!middle || !move) throw new Error("the seed left no middle order or staff move");
    facts = { ...middle, staffMove: move.correlationId };
  }, 120_000);
  afterAll(async () => {
    await warehouse.close();
  });

  it.each(SCENARIOS)("reads $name through index ranges, with no sequential scan", async ({ query, indexes, range, sorts }) => {
    const statements = await statementsOf(db, () => repo.list(query(facts)));
    expect(statements.length).toBeGreaterThan(0);

    const nodes: PlanNode[] = [];
    for (const { text, values } of statements) {
      const { rows } = await db.$client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${text}`, values);
      const plan = rows[0]?.["QUERY PLAN"][0].Plan;
      if (!plan) throw new Error(`no plan for ${text}`);
      nodes.push(...nodesOf(plan));
    }

    // Every table, the order lines included, is read through an index.
    const reads = nodes.filter((node) => node["Relation Name"] !== undefined);
    expect(reads.filter((node) => !["Index Scan", "Index Only Scan", "Bitmap Heap Scan"].includes(node["Node Type"]))).toEqual([]);
    const ordersReads = reads.filter((node) => node["Relation Name"] === "orders" || node["Relation Name"] === "order_events");
    expect([...new Set(ordersReads.map((node) => node["Index Name"] ?? node["Node Type"]))].sort()).toEqual(indexes);
    if (range) expect(ordersReads.map((node) => node["Index Cond"] ?? "")).toContainEqual(expect.stringMatching(range));
    if (!sorts) expect(nodes.map((node) => node["Node Type"])).not.toContain("Sort");
  });
});
