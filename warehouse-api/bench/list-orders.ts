// List-page latency: GET /api/orders, the staff dashboard's order list, on a small and a large seeded
// database, through the full app over real HTTP. A measurement, not a test: it exits 0 whatever the
// numbers, and 1 only when a response was not 200 or the benchmark itself broke.
//
//   node --import tsx bench/list-orders.ts [--database sqlite|postgres] [--large 1000000] [--small 10000]
//       [--requests 400] [--rounds 3] [--warmup 200] [--pages 50] [--seed 42] [--keep-db]
//
// --database postgres runs the same on Postgres: a throwaway cluster (as the tests start one) with a
// database per size, seeded by the same seed, each served by the app on its pool. --keep-db is SQLite's
// only: the cluster goes at the end of the run. The server's CPU time per request is then the Node
// process's alone: the queries' own work is done by the Postgres backends, which it does not count.
//
// Targets (the issue): p95 ≤ 10 ms per page, and p95 on the large database ≤ 1.5 × p95 on the small one,
// i.e. a page must cost about the same however many orders there are.
//
// Each database gets its own server child (bench/list-server.ts). Requests are sequential on one
// keep-alive connection, because this is the latency one staff member sees, not throughput. Rounds
// alternate small, large, small, large, ... and each large round is compared with the small round just
// before it, so slow drift on a shared machine hits both sides of a ratio alike.

import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import Database from "better-sqlite3";

import { startThrowawayPostgres } from "@fishtag/service-kit/testing/postgres-cluster";

import { closeDatabase, openDatabase } from "../src/db/client.js";
import { ORDER_STATUSES, type OrderStatus } from "../src/orders/lifecycle.js";
import type { Order } from "../src/orders/orders.schemas.js";
import { exited, forkChild, readFlags, runBench, type Link } from "./child-process.js";
import { LIST_BENCH_STAFF, type ListServerMessage } from "./protocol.js";
import { fixed, median, percentile, textTable } from "./report.js";

const CHILD_SCRIPT = fileURLToPath(new URL("./list-server.ts", import.meta.url));
const HOST = "127.0.0.1";
const REQUEST_TIMEOUT_MS = 10_000;
const PROGRESS_MS = 15_000;
// Kept between runs only with --keep-db: seeding a million orders takes minutes.
const CACHE_DIR = join(tmpdir(), "warehouse-bench-list-orders");
const PAGE_SIZE = 20;
const RECEIVED_PAGE_SIZE = 10;
// first page, two statuses, the received tab's second page, five searches, the deep page (see casesFor); for the time budget.
const SCENARIOS = 10;
// The most orders the email and reference searches find: a customer (or a PO reference) with a few orders.
const SEARCH_MATCHES_AT_MOST = 3;
const TARGET_P95_MS = 10;
const TARGET_RATIO = 1.5;
// The budget allows each request this long on average: far above the target, far below a hang.
const BUDGET_MS_PER_REQUEST = 50;
// Seeding ran at about 3 minutes per million orders on the 2-core dev machine (Postgres: 2 to 4, as busy as it was); the budget allows 3x that.
const BUDGET_SEED_SECONDS_PER_MILLION = 600;

const DIALECTS = ["sqlite", "postgres"] as const;
type Dialect = (typeof DIALECTS)[number];

/**
 * --database, the one flag that is neither a number nor a switch: taken out of the command line before
 * readFlags, which knows only those, reads the rest.
 */
function takeDatabaseFlag(args: string[]): Dialect {
  const at = args.findIndex((arg) => arg === "--database" || arg.startsWith("--database="));
  if (at === -1) return "sqlite";
  const arg = args[at] ?? "";
  const inline = arg.startsWith("--database=");
  const value = inline ? arg.slice("--database=".length) : args[at + 1];
  args.splice(at, inline ? 1 : 2);
  const dialect = DIALECTS.find((name) => name === value);
  if (!dialect) {
    console.error(`--database must be ${DIALECTS.join(" or ")}, got "${value ?? ""}"`);
    process.exit(2);
  }
  return dialect;
}
const dialect = takeDatabaseFlag(process.argv);

// Upper bounds keep the run bounded in time; 10M is also the seed CLI's limit.
const flags = readFlags(
  "node --import tsx bench/list-orders.ts [--database sqlite]",
  {
    large: { default: 1_000_000, min: 1000, max: 10_000_000 },
    small: { default: 10_000, min: 1000, max: 10_000_000 },
    requests: { default: 400, min: 20, max: 100_000 },
    rounds: { default: 3, min: 1, max: 50 },
    warmup: { default: 200, min: 0, max: 10_000 },
    pages: { default: 50, min: 1, max: 1000 },
    seed: { default: 42, min: 0, max: 2 ** 31 },
  },
  ["keep-db"],
  ({ large, small, pages }) => {
    if (large <= small) throw new Error("--large must be more orders than --small");
    // The deep page must exist in the small database too, or the two would not measure the same thing.
    if ((pages + 1) * PAGE_SIZE > small) throw new Error(`--small must hold more than ${pages + 1} pages of ${PAGE_SIZE}`);
  },
);
const { "keep-db": keepDb, ...numbers } = flags;
if (keepDb && dialect === "postgres") {
  console.error("--keep-db works with SQLite only: the Postgres run seeds a throwaway cluster, removed at the end of the run");
  process.exit(2);
}
const options = { ...numbers, keepDb, dialect };
type Options = typeof options;

// ---- helpers ---------------------------------------------------------------------------------------

const thousands = (value: number) => value.toLocaleString("en-US");
const seconds = (sinceMs: number) => ((performance.now() - sinceMs) / 1000).toFixed(0);

function sizeLabel(orders: number): string {
  if (orders >= 1_000_000 && orders % 100_000 === 0) return `${orders / 1_000_000}M`;
  if (orders >= 1000 && orders % 100 === 0) return `${orders / 1000}k`;
  return String(orders);
}

function removeDbFiles(path: string) {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
}

// ---- databases -------------------------------------------------------------------------------------

/** One seeded database: a SQLite file, or a database of the run's Postgres cluster. */
type DbSpec = { label: string; orders: number; location: string };

/** A read-only look into a seeded database, with `?` for each parameter in either dialect. */
type Reader = {
  get: <T>(query: string, ...params: unknown[]) => Promise<T | undefined>;
  close: () => Promise<void>;
};

/** The facts' queries that differ between the dialects. */
type DialectQueries = {
  /** Orders stored so far, cheaply enough to ask every few seconds during the seed. */
  progress: string;
  /** An order from the middle of the table: neither on the first page nor among the oldest (? = half the orders). */
  middle: string;
  /** A status change by staff from around the middle of the trails (? = 1.5 × the orders: seeded trails hold about 3.5 events an order). */
  staffAction: string;
  /** 1 when the planner has statistics on the orders, 0 if not. */
  plannerStats: string;
  /** Where those statistics live, for the report. */
  statsName: string;
};

/** Where the run's databases live: SQLite files in a folder, or Postgres databases in a throwaway cluster. */
type Databases = {
  dialect: Dialect;
  /** Said once, before seeding. */
  where: string;
  /** A database of this many orders: its location, made ready to be seeded. */
  locate: (orders: number, seedValue: number) => Promise<string>;
  /** Whether the database is there complete from an earlier --keep-db run. */
  kept: (location: string) => boolean;
  /** Where the seed child writes for `location`, and what makes it `location` once the seed has succeeded. */
  seedInto: (location: string) => { target: string; complete: () => void };
  read: (location: string) => Promise<Reader>;
  queries: DialectQueries;
  close: () => Promise<void>;
};

/** Database files being seeded: removed if the run ends before they are complete. */
const partials = new Set<string>();

function sqliteDatabases(dir: string, keepDb: boolean): Databases {
  return {
    dialect: "sqlite",
    where: keepDb
      ? `databases kept in ${dir} (reused by the next --keep-db run; rm -r it to reseed)`
      : `databases in ${dir}, removed at the end (--keep-db keeps them for the next run)`,
    locate: (orders, seedValue) => Promise.resolve(join(dir, `orders-${orders}-seed${seedValue}.db`)),
    kept: (location) => keepDb && existsSync(location),
    // Seeded into `<path>.partial` and renamed when done, so a kept file is always a complete one.
    seedInto: (location) => {
      const target = `${location}.partial`;
      removeDbFiles(target);
      partials.add(target);
      return {
        target,
        complete: () => {
          renameSync(target, location);
          partials.delete(target);
        },
      };
    },
    read: (location) => {
      const db = new Database(location, { readonly: true, fileMustExist: true });
      return Promise.resolve({
        get: <T>(query: string, ...params: unknown[]) => Promise.resolve(db.prepare(query).get(...params) as T | undefined),
        close: () => {
          db.close();
          return Promise.resolve();
        },
      });
    },
    queries: {
      // The table has a plain rowid that counts up with each insert: the count without a count(*) scan.
      progress: "SELECT max(rowid) AS n FROM orders",
      middle:
        "SELECT store_order_number AS storeOrderNumber, correlation_id AS correlationId FROM orders WHERE rowid >= ? ORDER BY rowid LIMIT 1",
      staffAction:
        "SELECT correlation_id AS correlationId, order_id AS orderId FROM order_events WHERE rowid >= ? AND type = 'status_changed' ORDER BY rowid LIMIT 1",
      plannerStats: "SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'",
      statsName: "sqlite_stat1",
    },
    close: () => Promise.resolve(),
  };
}

/**
 * A throwaway cluster (initdb in a temporary folder, as the tests' one) with one database per size. It
 * stops at the end of the run, and also when the run fails or is interrupted: startThrowawayPostgres
 * stops it on the process's exit, which runBench reaches however the run ends.
 */
async function postgresDatabases(): Promise<Databases> {
  const cluster = await startThrowawayPostgres();
  return {
    dialect: "postgres",
    where: `databases in a throwaway Postgres cluster (${cluster.url}), removed at the end`,
    locate: (orders, seedValue) => cluster.createDatabase(`orders_${orders}_seed${seedValue}`),
    kept: () => false,
    // A database left half seeded goes with the cluster.
    seedInto: (location) => ({ target: location, complete: () => undefined }),
    read: async (location) => {
      // The warehouse's own way in (it migrates first: a database the seed child has not reached yet is
      // then simply empty); one connection is all a reader needs.
      const database = await openDatabase(location, { poolSize: 1 });
      if (database.dialect !== "postgres") throw new Error(`${location} is not a Postgres URL`);
      const pool = database.db.$client;
      return {
        get: async <T>(query: string, ...params: unknown[]) => {
          let n = 0;
          const { rows } = await pool.query(
            query.replace(/\?/g, () => `$${++n}`),
            params,
          );
          return rows[0] as T | undefined;
        },
        close: () => closeDatabase(database),
      };
    },
    queries: {
      // Postgres has no rowid; the counts per status are only recounted at the end of the seed.
      progress: "SELECT count(*) AS n FROM orders",
      // Ids are time-ordered, and the seed writes them oldest first: the middle by id is the middle by insertion.
      middle: 'SELECT store_order_number AS "storeOrderNumber", correlation_id AS "correlationId" FROM orders ORDER BY id OFFSET ? LIMIT 1',
      // The events' identity numbers them in insertion order, as SQLite's rowid does.
      staffAction:
        'SELECT correlation_id AS "correlationId", order_id AS "orderId" FROM order_events WHERE id >= ? AND type = \'status_changed\' ORDER BY id LIMIT 1',
      plannerStats: "SELECT count(*) AS n FROM pg_stats WHERE schemaname = 'public' AND tablename = 'orders'",
      statsName: "pg_stats",
    },
    close: () => cluster.stop(),
  };
}

/** Seeds in the child process (list-server.ts), reporting progress, within the seed's time budget. */
async function seed(databases: Databases, spec: DbSpec, seedValue: number) {
  const { target, complete } = databases.seedInto(spec.location);
  const started = performance.now();
  console.log(`seeding ${spec.label}: ${thousands(spec.orders)} orders (seed ${seedValue}) into ${spec.location}`);
  const { child } = forkChild(CHILD_SCRIPT, ["seed", target, String(spec.orders), String(seedValue)], `seed ${spec.label}`);
  const progress = setInterval(() => {
    void seededSoFar(databases, target).then((done) => {
      if (done === undefined) return;
      const fraction = done / spec.orders;
      const elapsed = (performance.now() - started) / 1000;
      const eta = fraction > 0.01 ? `, about ${((elapsed / fraction) * (1 - fraction)).toFixed(0)} s to go` : "";
      console.log(`  ${spec.label}: ${thousands(done)} orders (${(fraction * 100).toFixed(0)}%) after ${elapsed.toFixed(0)} s${eta}`);
    });
  }, PROGRESS_MS);
  try {
    const code = await exited(child, BUDGET_SEED_SECONDS_PER_MILLION * 1000 * Math.max(1, spec.orders / 1_000_000));
    if (code !== 0) throw new Error(`seeding ${spec.label} failed (exit ${code ?? "timeout"})`);
  } finally {
    clearInterval(progress);
  }
  complete();
  console.log(`  ${spec.label}: seeded in ${seconds(started)} s`);
}

async function seededSoFar(databases: Databases, target: string): Promise<number | undefined> {
  try {
    const reader = await databases.read(target);
    try {
      return Number((await reader.get<{ n: number | string | null }>(databases.queries.progress))?.n ?? 0);
    } finally {
      await reader.close();
    }
  } catch {
    // Not created, or not migrated yet.
    return undefined;
  }
}

/** The columns the exact searches look up by a value several orders share. */
type SharedKey = "customer_email" | "reference";

/** How many orders the email and the reference searches find: the same in both databases. */
type Matches = Record<SharedKey, number>;

type DbFacts = {
  plannerStats: boolean;
  counts: Partial<Record<OrderStatus, number>>;
  /** An order from the middle of the table: its store number and the checkout's correlation ID. */
  middle: { storeOrderNumber: string; correlationId: string };
  /** A staff move from the middle of the trails: its correlation ID, and the order it moved. */
  staffAction: { correlationId: string; orderId: string };
  /** A value of each key that exactly as many orders share as Matches says. */
  shared: Record<SharedKey, string>;
};

/**
 * The most orders one value of each key has in the database, up to SEARCH_MATCHES_AT_MOST: in 10k seeded
 * orders a customer has one or two, a reference about three at the most.
 */
async function mostMatches(databases: Databases, spec: DbSpec): Promise<Matches> {
  const db = await databases.read(spec.location);
  try {
    const most = async (key: SharedKey) => {
      // count(*) is a bigint on Postgres, which pg hands over as a string.
      const row = await db.get<{ n: number | string | null }>(
        `SELECT max(n) AS n FROM (SELECT count(*) AS n FROM orders GROUP BY ${key}) AS per_value`,
      );
      return Math.min(Number(row?.n ?? 1), SEARCH_MATCHES_AT_MOST);
    };
    return { customer_email: await most("customer_email"), reference: await most("reference") };
  } finally {
    await db.close();
  }
}

/** What the scenarios search for, read straight from the database before any server opens it. */
async function readFacts(databases: Databases, spec: DbSpec, matches: Matches): Promise<DbFacts> {
  const { queries } = databases;
  const db = await databases.read(spec.location);
  try {
    const counts: DbFacts["counts"] = {};
    for (const status of ORDER_STATUSES) {
      const row = await db.get<{ count: number }>("SELECT count FROM order_status_counts WHERE status = ?", status);
      if (row) counts[status] = row.count;
    }
    const middle = await db.get<DbFacts["middle"]>(queries.middle, Math.floor(spec.orders / 2));
    if (!middle) throw new Error(`${spec.label}: the database at ${spec.location} has no orders`);
    const staffAction = await db.get<DbFacts["staffAction"]>(queries.staffAction, Math.floor(spec.orders * 1.5));
    if (!staffAction) throw new Error(`${spec.label}: the database at ${spec.location} has no staff moves`);
    const sharedBy = async (key: SharedKey) => {
      // Stops at the first such value in the key's index order: no full scan on the large database.
      const row = await db.get<{ value: string }>(
        `SELECT ${key} AS value FROM orders GROUP BY ${key} HAVING count(*) = ? LIMIT 1`,
        matches[key],
      );
      if (!row) throw new Error(`${spec.label}: no ${key} is shared by exactly ${matches[key]} orders`);
      return row.value;
    };
    const stats = await db.get<{ n: number | string }>(queries.plannerStats);
    return {
      plannerStats: Number(stats?.n ?? 0) > 0,
      counts,
      middle,
      staffAction,
      shared: { customer_email: await sharedBy("customer_email"), reference: await sharedBy("reference") },
    };
  } finally {
    await db.close();
  }
}

// ---- HTTP ------------------------------------------------------------------------------------------

type Reply = { status: number; ms: number; body: string; correlationId: string | undefined; setCookie: string[] | undefined };

type Server = { spec: DbSpec; link: Link<ListServerMessage>; port: number; agent: Agent; cookie: string };

/**
 * One request on the server's single keep-alive socket, timed from the call to the last body byte
 * (node:http rather than fetch: less client work inside the measured time).
 */
function send(
  server: Pick<Server, "port" | "agent">,
  method: "GET" | "POST",
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(
      {
        host: HOST,
        port: server.port,
        method,
        path,
        agent: server.agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers:
          body === undefined
            ? headers
            : { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const ms = performance.now() - started;
          const correlationId = res.headers["x-correlation-id"];
          resolve({
            status: res.statusCode ?? 0,
            ms,
            body: Buffer.concat(chunks).toString("utf8"),
            correlationId: typeof correlationId === "string" ? correlationId : undefined,
            setCookie: res.headers["set-cookie"],
          });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

const runId = Date.now().toString(36);
let sequence = 0;
/** A fresh, valid X-Correlation-Id per request, as the dashboard's requests carry. */
const nextCorrelationId = (tag: string) => `lb-${runId}-${tag}-${++sequence}`;

function list(server: Server, query: string, tag: string): Promise<Reply> {
  return send(server, "GET", `/api/orders?${query}`, { cookie: server.cookie, "x-correlation-id": nextCorrelationId(tag) });
}

type OrderPage = { items: Order[]; nextCursor: string | null; counts: Record<OrderStatus, number> };

function pageOf(reply: Reply, what: string): OrderPage {
  if (reply.status !== 200) throw new Error(`${what}: HTTP ${reply.status}: ${reply.body.slice(0, 300)}`);
  return JSON.parse(reply.body) as OrderPage;
}

async function startServer(spec: DbSpec, runDir: string): Promise<Server> {
  const dir = join(runDir, `server-${spec.label}`);
  mkdirSync(dir);
  const link = forkChild<ListServerMessage>(CHILD_SCRIPT, ["serve", spec.location, dir], `${spec.label} server`);
  const { port } = await link.waitFor("ready");
  // One socket: sequential requests never need a second, and a fresh handshake would be timed as latency.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const reply = await send(
    { port, agent },
    "POST",
    "/api/session",
    { "x-correlation-id": nextCorrelationId("sign-in") },
    JSON.stringify(LIST_BENCH_STAFF),
  );
  const cookie = reply.setCookie?.[0]?.split(";")[0];
  if (reply.status !== 200 || !cookie) throw new Error(`${spec.label}: sign-in answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  return { spec, link, port, agent, cookie };
}

async function closeServer(server: Server) {
  server.link.tell({ type: "close" });
  const closed = await server.link.waitFor("closed");
  server.agent.destroy();
  await exited(server.link.child, 10_000);
  return closed;
}

// ---- scenarios -------------------------------------------------------------------------------------

type Case = { scenario: string; query: string; items: number };

/**
 * The scenarios' query strings for one server, each checked once: a page that is empty or wrong would be
 * fast for the wrong reason.
 */
async function casesFor(server: Server, facts: DbFacts, matches: Matches, pages: number): Promise<Case[]> {
  const limit = `limit=${PAGE_SIZE}`;
  const label = server.spec.label;

  // Walked the way the dashboard does it, so the deep cursor is a real nextCursor.
  let deepCursor = "";
  for (let page = 1; page <= pages; page++) {
    const reply = await list(server, deepCursor ? `${limit}&cursor=${deepCursor}` : limit, "walk");
    const next = pageOf(reply, `${label} page ${page}`).nextCursor;
    if (!next) throw new Error(`${label}: the list ended after ${page} pages; --pages ${pages} needs more orders`);
    deepCursor = next;
  }

  // The received tab lists priority orders first: its next page continues past (priority, id) of its cursor.
  // Pages of 10: the small database holds only a few dozen received orders, and both must serve a full page.
  const receivedLimit = `limit=${RECEIVED_PAGE_SIZE}`;
  const receivedFirst = pageOf(await list(server, `status=received&${receivedLimit}`, "walk"), `${label} received page 1`);
  const receivedCursor = receivedFirst.nextCursor;
  if (!receivedCursor) throw new Error(`${label}: fewer than two pages of received orders`);
  const priorityFirst = (items: Order[]) => items.every((o, i) => i === 0 || Number(items[i - 1]?.priority) >= Number(o.priority));

  const candidates: { scenario: string; query: string; check: (page: OrderPage) => string | undefined }[] = [
    {
      scenario: "first page",
      query: limit,
      check: (p) => (p.items.length === PAGE_SIZE && p.nextCursor ? undefined : "not a full page with a next cursor"),
    },
    ...(["received", "shipped"] as const).map((status) => ({
      scenario: `status=${status}`,
      query: `status=${status}&${limit}`,
      check: (p: OrderPage) =>
        p.items.length > 0 && p.items.every((o) => o.status === status) ? undefined : `empty, or not all ${status}`,
    })),
    {
      scenario: "received page 2",
      query: `status=received&${receivedLimit}&cursor=${receivedCursor}`,
      check: (p) =>
        p.items.length === RECEIVED_PAGE_SIZE &&
        p.items.every((o) => o.status === "received") &&
        priorityFirst([...receivedFirst.items, ...p.items])
          ? undefined
          : "not a full page of received orders continuing priority first",
    },
    {
      scenario: "q=email",
      // Typed as a person would: the search ignores the case of an email.
      query: `q=${encodeURIComponent(facts.shared.customer_email.toUpperCase())}&${limit}`,
      check: (p) =>
        p.items.length === matches.customer_email && p.items.every((o) => o.customer.email === facts.shared.customer_email)
          ? undefined
          : `not exactly the ${matches.customer_email} orders of that customer`,
    },
    {
      scenario: "q=PO number",
      // In lower case: staff type a PO number as they hear it, the search ignores its case.
      query: `q=${encodeURIComponent(facts.shared.reference.toLowerCase())}&${limit}`,
      check: (p) =>
        p.items.length === matches.reference && p.items.every((o) => o.reference === facts.shared.reference)
          ? undefined
          : `not exactly the ${matches.reference} orders with that reference`,
    },
    {
      scenario: "q=order number",
      query: `q=${encodeURIComponent(facts.middle.storeOrderNumber.toLowerCase())}&${limit}`,
      check: (p) =>
        p.items.length === 1 && p.items[0]?.storeOrderNumber === facts.middle.storeOrderNumber ? undefined : "not exactly the one order",
    },
    {
      scenario: "q=checkout id",
      query: `q=${encodeURIComponent(facts.middle.correlationId)}&${limit}`,
      check: (p) =>
        p.items.length === 1 && p.items[0]?.correlationId === facts.middle.correlationId ? undefined : "not exactly the one order",
    },
    {
      scenario: "q=staff move id",
      query: `q=${encodeURIComponent(facts.staffAction.correlationId)}&${limit}`,
      check: (p) => (p.items.length === 1 && p.items[0]?.id === facts.staffAction.orderId ? undefined : "not exactly the order it moved"),
    },
    {
      scenario: `deep page ${pages + 1}`,
      query: `${limit}&cursor=${deepCursor}`,
      check: (p) =>
        p.items.length === PAGE_SIZE && p.items.every((o) => o.id < deepCursor) ? undefined : "not a full page after the cursor",
    },
  ];

  const cases: Case[] = [];
  for (const { scenario, query, check } of candidates) {
    const tag = `check-${label}`;
    const reply = await list(server, query, tag);
    const page = pageOf(reply, `${label} ${scenario}`);
    const problem = check(page);
    if (problem) throw new Error(`${label} ${scenario} (${query}): ${problem}`);
    if (!reply.correlationId?.startsWith(`lb-${runId}-${tag}-`))
      throw new Error(`${label} ${scenario}: the response does not echo X-Correlation-Id`);
    cases.push({ scenario, query, items: page.items.length });
  }
  return cases;
}

// ---- measurement -----------------------------------------------------------------------------------

type Run = { latencies: number[]; bad: Map<number, number>; firstBad: string | undefined };

/** `count` sequential requests; the non-200s are counted, not thrown, so one bad answer does not hide the rest. */
async function run(server: Server, c: Case, count: number, tag: string): Promise<Run> {
  const latencies: number[] = [];
  const bad = new Map<number, number>();
  let firstBad: string | undefined;
  for (let i = 0; i < count; i++) {
    const reply = await list(server, c.query, tag);
    latencies.push(reply.ms);
    if (reply.status !== 200) {
      bad.set(reply.status, (bad.get(reply.status) ?? 0) + 1);
      firstBad ??= `${reply.status} ${reply.body.slice(0, 200)}`;
    }
  }
  latencies.sort((a, b) => a - b);
  return { latencies, bad, firstBad };
}

type Result = {
  round: number;
  db: string;
  scenario: string;
  items: number;
  p50: number;
  p95: number;
  p99: number;
  cpuMicrosPerRequest: number;
  requests: number;
};

const { row, header } = textTable(
  [
    ["round", 6],
    ["db", 5],
    ["scenario", 18],
    ["items", 6],
    ["p50 ms", 7],
    ["p95 ms", 7],
    ["p99 ms", 7],
    ["srv µs/req", 11],
    ["requests", 9],
    ["p95 ratio", 10],
  ],
  3,
);

function resultRow(first: string, r: Omit<Result, "round">, ratio: number | undefined): string {
  return row([
    first,
    r.db,
    r.scenario,
    String(r.items),
    fixed(r.p50, 2),
    fixed(r.p95, 2),
    fixed(r.p99, 2),
    fixed(r.cpuMicrosPerRequest, 0),
    String(r.requests),
    ratio === undefined ? "" : fixed(ratio, 2),
  ]);
}

// ---- main ------------------------------------------------------------------------------------------

async function main(options: Options, runDir: string): Promise<number> {
  let databases: Databases;
  if (options.dialect === "postgres") databases = await postgresDatabases();
  else {
    const dbDir = options.keepDb ? CACHE_DIR : runDir;
    mkdirSync(dbDir, { recursive: true });
    databases = sqliteDatabases(dbDir, options.keepDb);
  }
  try {
    return await measure(options, runDir, databases);
  } finally {
    await databases.close();
  }
}

async function measure(options: Options, runDir: string, databases: Databases): Promise<number> {
  const specs: DbSpec[] = [];
  for (const orders of [options.small, options.large])
    specs.push({ label: sizeLabel(orders), orders, location: await databases.locate(orders, options.seed) });
  const [small, large] = specs as [DbSpec, DbSpec];
  const ratioLabel = `${large.label}/${small.label}`;

  console.log(
    `list-orders bench on ${databases.dialect}: ${small.label} and ${large.label} seeded orders; ${options.rounds} rounds × ${options.requests} sequential requests ` +
      `per scenario per database (1 keep-alive connection, fresh x-correlation-id each), ${options.warmup} warm-up requests each; ` +
      `pages of ${PAGE_SIZE}`,
  );
  console.log(databases.where);

  for (const spec of specs) {
    if (databases.kept(spec.location)) console.log(`reusing ${spec.label}: ${spec.location}`);
    else await seed(databases, spec, options.seed);
  }

  // Each database has its own customers and references, so each searches for its own value; as many
  // orders share it in both, so both sides of a ratio fetch the same size of page.
  const matches = await mostMatches(databases, small);
  const facts: DbFacts[] = [];
  for (const spec of specs) facts.push(await readFacts(databases, spec, matches));
  specs.forEach((spec, i) => {
    const f = facts[i];
    if (!f) return;
    const counts = Object.entries(f.counts)
      .map(([status, n]) => `${status} ${thousands(n)}`)
      .join(", ");
    console.log(
      `${spec.label}: ${counts}; planner statistics (${databases.queries.statsName}): ${f.plannerStats ? "yes" : "no"}; ` +
        `q=${f.shared.customer_email} matches ${matches.customer_email}, q=${f.shared.reference} ${matches.reference}, ` +
        `q=${f.middle.storeOrderNumber}, q=${f.middle.correlationId} and q=${f.staffAction.correlationId} 1 each`,
    );
  });

  // Started one after the other: two module graphs loading at once would only slow both.
  const servers: Server[] = [];
  for (const spec of specs) servers.push(await startServer(spec, runDir));
  const cases = new Map<Server, Case[]>();
  for (const [i, server] of servers.entries()) {
    const f = facts[i];
    if (f) cases.set(server, await casesFor(server, f, matches, options.pages));
  }

  const problems: string[] = [];
  const note = (label: string, r: Run) => {
    for (const [status, n] of r.bad) problems.push(`${label}: ${n} × HTTP ${status} (first: ${r.firstBad ?? "?"})`);
  };

  if (options.warmup > 0) {
    for (const server of servers) {
      for (const c of cases.get(server) ?? [])
        note(`${server.spec.label} warm-up ${c.scenario}`, await run(server, c, options.warmup, "warmup"));
    }
  }

  console.log(`\n${header}`);
  const results: Result[] = [];
  const ratios = new Map<string, number[]>();
  for (let round = 1; round <= options.rounds; round++) {
    for (const server of servers) {
      const { label } = server.spec;
      for (const c of cases.get(server) ?? []) {
        server.link.tell({ type: "begin" });
        await server.link.waitFor("begun");
        const r = await run(server, c, options.requests, `r${round}-${label}`);
        server.link.tell({ type: "end" });
        const ended = await server.link.waitFor("ended");
        note(`round ${round} ${label} ${c.scenario}`, r);
        const result: Result = {
          round,
          db: label,
          scenario: c.scenario,
          items: c.items,
          p50: percentile(r.latencies, 0.5),
          p95: percentile(r.latencies, 0.95),
          p99: percentile(r.latencies, 0.99),
          cpuMicrosPerRequest: ended.cpuMicros / ended.requests,
          requests: r.latencies.length,
        };
        results.push(result);
        const before =
          server.spec === large ? results.find((x) => x.round === round && x.db === small.label && x.scenario === c.scenario) : undefined;
        const ratio = before ? result.p95 / before.p95 : undefined;
        if (ratio !== undefined) ratios.set(c.scenario, [...(ratios.get(c.scenario) ?? []), ratio]);
        console.log(resultRow(String(round), result, ratio));
      }
    }
  }

  console.log(`\nmedians of ${options.rounds} rounds (p95 ratio: median of the per-round ${ratioLabel} ratios)`);
  console.log(header);
  const [first] = servers;
  const scenarios = first ? (cases.get(first) ?? []).map((c) => c.scenario) : [];
  const summary: string[] = [];
  for (const scenario of scenarios) {
    const medianOf = (db: string) => {
      const rs = results.filter((r) => r.db === db && r.scenario === scenario);
      const of = (pick: (r: Result) => number) => median(rs.map(pick));
      return {
        db,
        scenario,
        items: rs[0]?.items ?? 0,
        p50: of((r) => r.p50),
        p95: of((r) => r.p95),
        p99: of((r) => r.p99),
        cpuMicrosPerRequest: of((r) => r.cpuMicrosPerRequest),
        requests: rs.reduce((sum, r) => sum + r.requests, 0),
      };
    };
    const s = medianOf(small.label);
    const l = medianOf(large.label);
    const ratio = median(ratios.get(scenario) ?? []);
    console.log(resultRow("median", s, undefined));
    console.log(resultRow("median", l, ratio));

    const p95Ok = Math.max(s.p95, l.p95) <= TARGET_P95_MS;
    const ratioOk = ratio <= TARGET_RATIO;
    summary.push(
      `${(p95Ok && ratioOk ? "MEETS " : "MISSES").padEnd(7)}${scenario.padEnd(18)} ` +
        `p95 ${small.label} ${fixed(s.p95, 2)} ms, ${large.label} ${fixed(l.p95, 2)} ms (target ≤ ${TARGET_P95_MS} ms: ${p95Ok ? "ok" : "MISSED"}); ` +
        `${ratioLabel} ${fixed(ratio, 2)} (target ≤ ${TARGET_RATIO}: ${ratioOk ? "ok" : "MISSED"})`,
    );
  }

  for (const server of servers) {
    const closed = await closeServer(server);
    console.log(`${server.spec.label} server: ${thousands(closed.handled)} requests handled, ${thousands(closed.logLines)} JSON log lines`);
  }

  console.log("\nsummary vs targets (p95 ≤ 10 ms per page; large/small p95 ≤ 1.5):");
  for (const line of summary) console.log(`  ${line}`);

  if (problems.length > 0) {
    console.error(`\nBENCHMARK BROKEN: not every response was a 200\n  ${problems.join("\n  ")}`);
    return 1;
  }
  return 0;
}

const requestsPerDb = SCENARIOS * (options.rounds * options.requests + options.warmup + 1) + options.pages;
const seedSeconds = ((options.small + options.large) / 1_000_000) * BUDGET_SEED_SECONDS_PER_MILLION;
runBench(
  {
    tmpPrefix: "warehouse-bench-list-",
    budgetSeconds: Math.ceil(120 + seedSeconds + (2 * requestsPerDb * BUDGET_MS_PER_REQUEST) / 1000),
    // A database still being seeded is incomplete: not one to keep.
    onExit: () => {
      for (const partial of partials) removeDbFiles(partial);
    },
  },
  (runDir) => main(options, runDir),
);
