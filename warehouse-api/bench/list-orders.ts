// List-page latency: GET /api/orders, the staff dashboard's order list, on a small and a large seeded
// database, through the full app over real HTTP. A measurement, not a test: it exits 0 whatever the
// numbers, and 1 only when a response was not 200 or the benchmark itself broke.
//
//   node --import tsx bench/list-orders.ts [--large 1000000] [--small 10000] [--requests 400] [--rounds 3]
//       [--warmup 200] [--pages 50] [--seed 42] [--keep-db]
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

import type { OrderStatus } from "../src/orders/lifecycle.js";
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
// Seeding ran at about 3 minutes per million orders on the 2-core dev machine; the budget allows 3x that.
const BUDGET_SEED_SECONDS_PER_MILLION = 600;

// Upper bounds keep the run bounded in time; 10M is also the seed CLI's limit.
const flags = readFlags(
  "node --import tsx bench/list-orders.ts",
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
const options = { ...numbers, keepDb };
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

type DbSpec = { label: string; orders: number; path: string };

/** Database files being seeded: removed if the run ends before they are complete. */
const partials = new Set<string>();

function seededSoFar(path: string): number | undefined {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      // The table has a plain rowid that counts up with each insert: the count without a count(*) scan.
      return (db.prepare("SELECT max(rowid) AS n FROM orders").get() as { n: number | null }).n ?? 0;
    } finally {
      db.close();
    }
  } catch {
    // Not created, or not migrated yet.
    return undefined;
  }
}

/** Seeds into `<path>.partial` and renames it when done, so a kept file is always a complete one. */
async function seed(spec: DbSpec, seedValue: number) {
  const partial = `${spec.path}.partial`;
  removeDbFiles(partial);
  partials.add(partial);
  const started = performance.now();
  console.log(`seeding ${spec.label}: ${thousands(spec.orders)} orders (seed ${seedValue}) into ${spec.path}`);
  const { child } = forkChild(CHILD_SCRIPT, ["seed", partial, String(spec.orders), String(seedValue)], `seed ${spec.label}`);
  const progress = setInterval(() => {
    const done = seededSoFar(partial);
    if (done === undefined) return;
    const fraction = done / spec.orders;
    const elapsed = (performance.now() - started) / 1000;
    const eta = fraction > 0.01 ? `, about ${((elapsed / fraction) * (1 - fraction)).toFixed(0)} s to go` : "";
    console.log(`  ${spec.label}: ${thousands(done)} orders (${(fraction * 100).toFixed(0)}%) after ${elapsed.toFixed(0)} s${eta}`);
  }, PROGRESS_MS);
  try {
    const code = await exited(child, BUDGET_SEED_SECONDS_PER_MILLION * 1000 * Math.max(1, spec.orders / 1_000_000));
    if (code !== 0) throw new Error(`seeding ${spec.label} failed (exit ${code ?? "timeout"})`);
  } finally {
    clearInterval(progress);
  }
  renameSync(partial, spec.path);
  partials.delete(partial);
  console.log(`  ${spec.label}: seeded in ${seconds(started)} s`);
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
function mostMatches(spec: DbSpec): Matches {
  const db = new Database(spec.path, { readonly: true, fileMustExist: true });
  try {
    const most = (key: SharedKey) => {
      const row = db.prepare(`SELECT max(n) AS n FROM (SELECT count(*) AS n FROM orders GROUP BY ${key})`).get() as { n: number | null };
      return Math.min(row.n ?? 1, SEARCH_MATCHES_AT_MOST);
    };
    return { customer_email: most("customer_email"), reference: most("reference") };
  } finally {
    db.close();
  }
}

/** What the scenarios search for, read straight from the file before any server opens it. */
function readFacts(spec: DbSpec, matches: Matches): DbFacts {
  const db = new Database(spec.path, { readonly: true, fileMustExist: true });
  try {
    const counts = Object.fromEntries(
      (db.prepare("SELECT status, count FROM order_status_counts").all() as { status: OrderStatus; count: number }[]).map((r) => [
        r.status,
        r.count,
      ]),
    );
    // An order from the middle of the table: neither on the first page nor among the oldest.
    const middle = db
      .prepare(
        "SELECT store_order_number AS storeOrderNumber, correlation_id AS correlationId FROM orders WHERE rowid >= ? ORDER BY rowid LIMIT 1",
      )
      .get(Math.floor(spec.orders / 2)) as DbFacts["middle"] | undefined;
    if (!middle) throw new Error(`${spec.label}: the database at ${spec.path} has no orders`);
    // Seeded trails hold about 3.5 events an order; a status change by staff from around the middle.
    const staffAction = db
      .prepare(
        "SELECT correlation_id AS correlationId, order_id AS orderId FROM order_events WHERE rowid >= ? AND type = 'status_changed' ORDER BY rowid LIMIT 1",
      )
      .get(Math.floor(spec.orders * 1.5)) as DbFacts["staffAction"] | undefined;
    if (!staffAction) throw new Error(`${spec.label}: the database at ${spec.path} has no staff moves`);
    const sharedBy = (key: SharedKey) => {
      // Stops at the first such value in the key's index order: no full scan on the large database.
      const row = db.prepare(`SELECT ${key} AS value FROM orders GROUP BY ${key} HAVING count(*) = ? LIMIT 1`).get(matches[key]) as
        { value: string } | undefined;
      if (!row) throw new Error(`${spec.label}: no ${key} is shared by exactly ${matches[key]} orders`);
      return row.value;
    };
    const stats = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'").get() as { n: number };
    return {
      plannerStats: stats.n > 0,
      counts,
      middle,
      staffAction,
      shared: { customer_email: sharedBy("customer_email"), reference: sharedBy("reference") },
    };
  } finally {
    db.close();
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
  const link = forkChild<ListServerMessage>(CHILD_SCRIPT, ["serve", spec.path, dir], `${spec.label} server`);
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
  const dbDir = options.keepDb ? CACHE_DIR : runDir;
  mkdirSync(dbDir, { recursive: true });
  const specs: DbSpec[] = [options.small, options.large].map((orders) => ({
    label: sizeLabel(orders),
    orders,
    path: join(dbDir, `orders-${orders}-seed${options.seed}.db`),
  }));
  const [small, large] = specs as [DbSpec, DbSpec];
  const ratioLabel = `${large.label}/${small.label}`;

  console.log(
    `list-orders bench: ${small.label} and ${large.label} seeded orders; ${options.rounds} rounds × ${options.requests} sequential requests ` +
      `per scenario per database (1 keep-alive connection, fresh x-correlation-id each), ${options.warmup} warm-up requests each; ` +
      `pages of ${PAGE_SIZE}`,
  );
  console.log(
    options.keepDb
      ? `databases kept in ${CACHE_DIR} (reused by the next --keep-db run; rm -r it to reseed)`
      : `databases in ${runDir}, removed at the end (--keep-db keeps them for the next run)`,
  );

  for (const spec of specs) {
    if (options.keepDb && existsSync(spec.path)) console.log(`reusing ${spec.label}: ${spec.path}`);
    else await seed(spec, options.seed);
  }

  // Each database has its own customers and references, so each searches for its own value; as many
  // orders share it in both, so both sides of a ratio fetch the same size of page.
  const matches = mostMatches(small);
  const facts = specs.map((spec) => readFacts(spec, matches));
  specs.forEach((spec, i) => {
    const f = facts[i];
    if (!f) return;
    const counts = Object.entries(f.counts)
      .map(([status, n]) => `${status} ${thousands(n)}`)
      .join(", ");
    console.log(
      `${spec.label}: ${counts}; planner statistics (sqlite_stat1): ${f.plannerStats ? "yes" : "no"}; ` +
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
