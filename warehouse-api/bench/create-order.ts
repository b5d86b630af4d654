// Create-order throughput: the full warehouse app (validation, correlation middleware, drizzle, JSON logs
// to a file) against two node:http + better-sqlite3 servers: "raw", doing the same storage work, and
// "floor", storing each order with one INSERT and nothing else (what the machine can do). A measurement,
// not a test: it exits 0 whatever the ratio, and 1 only when the benchmark itself is broken (a response
// other than 201, a connection error, a server that does not answer).
//
//   npm run bench -- [--rounds 3] [--duration 5] [--connections 20] [--warmup 2] [--prefill 0] [--quiet] [--tracing] [--profile]
//
// --prefill N stores N orders in the app's database first, to compare its figures with a full table.
//
// Each server is a child process (bench/server.ts); autocannon runs here, so the load generator never
// shares an event loop with the server it measures. Rounds alternate floor, raw, app, floor, ... so slow
// drift on a shared machine hits all alike; each ratio compares servers within one round.

import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { testKeyPair } from "@fishtag/service-auth/testing";

import type { Order } from "../src/orders/orders.schemas.js";
import { exited, forkChild, readFlags, runBench, type Link } from "./child-process.js";
import { mainThreadProfile, summariseCpuProfile } from "./cpu-profile.js";
import { loadProblems, non201Count, orderLoad, type OrderLoad } from "./order-load.js";
import { otlpSink } from "./otlp-sink.js";
import { benchAuthorization, orderBody, SERVER_KINDS, type ChildMessage, type ServerKind } from "./protocol.js";
import { fixed, median, textTable } from "./report.js";

const SERVER_SCRIPT = fileURLToPath(new URL("./server.ts", import.meta.url));
const SEED_SCRIPT = fileURLToPath(new URL("../src/cli/seed.ts", import.meta.url));
// The Store's key pair for this run: both servers check the tokens against its public half.
const STORE_KEYS = testKeyPair();
const HOST = "127.0.0.1";

const options = readFlags(
  "npm run bench --",
  {
    rounds: { default: 3, min: 1 },
    duration: { default: 5, min: 1, integer: false },
    connections: { default: 20, min: 1 },
    warmup: { default: 2, min: 0, integer: false },
    prefill: { default: 0, min: 0 },
  },
  ["profile", "quiet", "tracing"],
);
/** The servers of this run: the quiet app (logging off) and the traced one (spans exported) only when asked for. */
const KINDS = SERVER_KINDS.filter((kind) => (kind !== "quiet" || options.quiet) && (kind !== "traced" || options.tracing));
type Options = typeof options;

// ---- child processes -------------------------------------------------------------------------------

type Server = { kind: ServerKind; link: Link<ChildMessage>; port: number; restingRssMb: number };

/**
 * A database holding `orders` seeded orders, made once per run by the seed command in a process of its own:
 * the app's servers start on copies of it as production starts on its file, their memory holding only what
 * serving needs (seeded in the server's own process, 1M orders left its RSS at about 240 MB).
 */
function seededDatabase(root: string, orders: number): string {
  const file = join(root, "seeded.db");
  execFileSync(process.execPath, ["--import", "tsx", SEED_SCRIPT, "--orders", String(orders)], {
    env: { ...process.env, WAREHOUSE_DB_PATH: file },
    stdio: ["ignore", "inherit", "inherit"],
    // 1M orders took 563 s here; a seed that hangs must not hold the bench for ever.
    timeout: 60_000 + orders * 2,
  });
  return file;
}

async function startServer(kind: ServerKind, root: string, profileRoot: string | undefined, seeded: string | undefined): Promise<Server> {
  const dir = join(root, kind);
  mkdirSync(dir);
  // The floor and raw servers are the machine's reference: they start empty.
  if (seeded && kind !== "floor" && kind !== "raw") copyFileSync(seeded, join(dir, "app.db"));
  const profile = profileRoot ? ["--cpu-prof", `--cpu-prof-dir=${join(profileRoot, kind)}`] : [];
  const link = forkChild<ChildMessage>(
    SERVER_SCRIPT,
    [kind, dir, STORE_KEYS.env.publicKey, ...(kind === "traced" ? [await otlpSink()] : [])],
    `${kind} server`,
    profile,
  );
  const { port, rssKb } = await link.waitFor("ready", 30_000);
  return { kind, link, port, restingRssMb: rssKb / 1024 };
}

async function closeServer(server: Server) {
  server.link.tell({ type: "close" });
  const closed = await server.link.waitFor("closed");
  await exited(server.link.child, 10_000);
  return closed;
}

// ---- load ------------------------------------------------------------------------------------------

const runId = Date.now().toString(36);

/** One load run; `label` keeps the storeOrderIds and correlation IDs unique across the whole run. */
function load(server: Server, options: Options, seconds: number, label: string): Promise<OrderLoad> {
  const url = `http://${HOST}:${server.port}/api/orders`;
  return orderLoad({ url, signingKey: STORE_KEYS.signingKey, connections: options.connections, seconds, prefix: `${runId}-${label}` });
}

/** One real request before any load: proves the server stores and answers, and shows the two answer alike. */
async function checkOnce(server: Server): Promise<Order> {
  const storeOrderId = `st-${runId}-${server.kind}-check`;
  const correlationId = `bench-${runId}-${server.kind}-check`;
  const response = await fetch(`http://${HOST}:${server.port}/api/orders`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: benchAuthorization(STORE_KEYS.signingKey, { method: "POST", url: `http://${HOST}:${server.port}/api/orders` }),
      "x-correlation-id": correlationId,
      "idempotency-key": storeOrderId,
    },
    body: orderBody(storeOrderId),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`${server.kind} server answered ${response.status} to a valid order: ${text.slice(0, 500)}`);
  const order = JSON.parse(text) as Order;
  // The floor answers with the ids alone: it is the machine's limit, not a warehouse.
  if (server.kind === "floor") return order;
  if (
    order.storeOrderId !== storeOrderId ||
    order.correlationId !== correlationId ||
    response.headers.get("x-correlation-id") !== correlationId
  ) {
    throw new Error(`${server.kind} server's answer does not match the order sent: ${text.slice(0, 500)}`);
  }
  return order;
}

/** The JSON's structure with every value replaced by its type, to compare the two servers' answers. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shape(item)]));
  }
  return typeof value;
}

// ---- report ----------------------------------------------------------------------------------------

type Round = {
  round: number;
  kind: ServerKind;
  load: OrderLoad;
  cpuMicrosPerRequest: number;
  /** Can pass 100: process.cpuUsage() counts every thread (GC helpers, libuv), not just the event loop. */
  serverCpuPct: number;
  peakRssMb: number;
  /** This round's throughput over the floor's and the raw server's in the same round. */
  vsFloor: number | undefined;
  vsRaw: number | undefined;
};

const { row, header } = textTable(
  [
    ["round", 6],
    ["server", 6],
    ["req/s", 8],
    ["÷floor", 7],
    ["÷raw", 6],
    ["srv µs/req", 11],
    ["srv cpu%", 9],
    ["gen cpu%", 9],
    ["p50 ms", 7],
    ["p99 ms", 7],
    ["rss MB", 7],
    ["requests", 9],
    ["non-201", 8],
    ["errors", 7],
  ],
  2,
);

const ratio = (value: number | undefined) => (value === undefined ? "" : fixed(value, 2));

function roundRow(r: Round): string {
  return row([
    String(r.round),
    r.kind,
    fixed(r.load.reqPerSec, 0),
    ratio(r.vsFloor),
    ratio(r.vsRaw),
    fixed(r.cpuMicrosPerRequest, 0),
    fixed(r.serverCpuPct, 0),
    fixed(r.load.loadGenCpuPct, 0),
    fixed(r.load.p50Ms, 2),
    fixed(r.load.p99Ms, 2),
    fixed(r.peakRssMb, 0),
    String(r.load.requests),
    String(non201Count(r.load.non201)),
    String(r.load.errors),
  ]);
}

/** The medians of a server's rounds; each ratio is the median of the per-round ratios. */
function medianRow(kind: ServerKind, rounds: Round[]): string {
  const of = (pick: (r: Round) => number | undefined) => {
    const values = rounds.map(pick).filter((value) => value !== undefined);
    return values.length ? median(values) : undefined;
  };
  const number = (pick: (r: Round) => number, digits: number) => fixed(of(pick) ?? 0, digits);
  return row([
    "median",
    kind,
    number((r) => r.load.reqPerSec, 0),
    ratio(of((r) => r.vsFloor)),
    ratio(of((r) => r.vsRaw)),
    number((r) => r.cpuMicrosPerRequest, 0),
    number((r) => r.serverCpuPct, 0),
    number((r) => r.load.loadGenCpuPct, 0),
    number((r) => r.load.p50Ms, 2),
    number((r) => r.load.p99Ms, 2),
    number((r) => r.peakRssMb, 0),
    number((r) => r.load.requests, 0),
    "",
    "",
  ]);
}

// ---- main ------------------------------------------------------------------------------------------

async function main(options: Options, root: string): Promise<number> {
  console.log(
    `create-order bench: ${options.rounds} rounds × ${options.duration}s per server, ${options.connections} connections, ` +
      `${options.warmup}s warm-up each; body ${Buffer.byteLength(orderBody(`st-${runId}-raw1-1`))} bytes, 2 lines, ` +
      `unique storeOrderId, idempotency-key and x-correlation-id per request` +
      (options.prefill > 0 ? `; ${options.prefill} orders stored in the app's database first` : ""),
  );
  // Outside `root`, which is removed at the end: the profiles are for reading afterwards.
  const profileRoot = options.profile ? mkdtempSync(join(tmpdir(), "warehouse-bench-profile-")) : undefined;
  // Started one after the other: module graphs loading (or databases filling) at once would only slow each other.
  const servers: Server[] = [];
  const seeded = options.prefill > 0 ? seededDatabase(root, options.prefill) : undefined;
  for (const kind of KINDS) servers.push(await startServer(kind, root, profileRoot, seeded));

  const answers = new Map<ServerKind, Order>();
  for (const server of servers) answers.set(server.kind, await checkOnce(server));
  const [rawOrder, appOrder] = [answers.get("raw"), answers.get("app")];
  if (JSON.stringify(shape(rawOrder)) !== JSON.stringify(shape(appOrder))) {
    throw new Error(`the raw and app answers differ in shape:\n  raw ${JSON.stringify(rawOrder)}\n  app ${JSON.stringify(appOrder)}`);
  }

  const issues: string[] = [];
  if (options.warmup > 0) {
    for (const server of servers)
      issues.push(...loadProblems(`${server.kind} warm-up`, await load(server, options, options.warmup, `${server.kind}-warmup`)));
  }

  console.log(header);

  const rounds: Round[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const server of servers) {
      server.link.tell({ type: "begin" });
      await server.link.waitFor("begun");
      const result = await load(server, options, options.duration, `${server.kind}${round}`);
      server.link.tell({ type: "end" });
      const ended = await server.link.waitFor("ended");
      const sameRound = (kind: ServerKind) => rounds.find((x) => x.round === round && x.kind === kind)?.load.reqPerSec;
      const vs = (kind: ServerKind) => {
        const other = server.kind === kind ? undefined : sameRound(kind);
        return other ? result.reqPerSec / other : undefined;
      };
      const r: Round = {
        round,
        kind: server.kind,
        load: result,
        cpuMicrosPerRequest: ended.cpuMicros / ended.requests,
        serverCpuPct: (100 * ended.cpuMicros) / ended.wallMicros,
        peakRssMb: ended.peakRssKb / 1024,
        vsFloor: vs("floor"),
        vsRaw: vs("raw"),
      };
      rounds.push(r);
      issues.push(...loadProblems(`round ${round} ${server.kind}`, result));
      console.log(roundRow(r));
    }
  }

  const roundsOf = (kind: ServerKind) => rounds.filter((r) => r.kind === kind);
  for (const kind of KINDS) console.log(medianRow(kind, roundsOf(kind)));
  const cpuOf = (kind: ServerKind) => median(roundsOf(kind).map((r) => r.cpuMicrosPerRequest));
  const ratioOf = (pick: (r: Round) => number | undefined) => median(roundsOf("app").map((r) => pick(r) ?? Number.NaN));

  const closed = new Map<ServerKind, Extract<ChildMessage, { type: "closed" }>>();
  for (const server of servers) closed.set(server.kind, await closeServer(server));
  console.log(
    `stored: ${KINDS.map((kind) => `${kind} ${closed.get(kind)?.orders ?? 0} orders (${closed.get(kind)?.distinctStoreOrderIds ?? 0} distinct storeOrderIds)`).join(", ")}; ` +
      `app log ${closed.get("app")?.logLines ?? 0} JSON lines`,
  );
  console.log(
    `app ÷ floor: throughput ${fixed(
      ratioOf((r) => r.vsFloor),
      2,
    )}, CPU per request ${fixed(cpuOf("app") / cpuOf("floor"), 2)}x` +
      ` | app ÷ raw (same work): throughput ${fixed(
        ratioOf((r) => r.vsRaw),
        2,
      )}, CPU per request ${fixed(cpuOf("app") / cpuOf("raw"), 2)}x` +
      ` | medians of ${options.rounds} rounds`,
  );
  // Beside the peaks: how much of a server's memory its code and start-up hold before it serves at all.
  console.log(`RSS before the first request: ${servers.map((server) => `${server.kind} ${fixed(server.restingRssMb, 0)} MB`).join(", ")}`);
  if (options.quiet) console.log(`app ÷ quiet (its log lines' cost): CPU per request ${fixed(cpuOf("app") / cpuOf("quiet"), 3)}x`);
  if (options.tracing)
    console.log(`traced ÷ app (tracing's cost, spans exported): CPU per request ${fixed(cpuOf("traced") / cpuOf("app"), 3)}x`);

  if (profileRoot) {
    console.log("\n(profiled run: the servers ran under --cpu-prof, so the figures above are lower than usual)");
    for (const kind of KINDS) {
      const file = mainThreadProfile(join(profileRoot, kind));
      console.log(`\n${kind} server CPU profile: ${file ?? "(not written)"}`);
      const handled = closed.get(kind)?.handled;
      if (file && handled) for (const line of summariseCpuProfile(file, handled)) console.log(line);
    }
  }

  if (issues.length > 0) {
    console.error(`\nBENCHMARK BROKEN: not every response was a 201\n  ${issues.join("\n  ")}`);
    return 1;
  }
  return 0;
}

runBench(
  {
    tmpPrefix: "warehouse-bench-",
    budgetSeconds: 2 * (options.warmup + options.rounds * (options.duration + 1)) + 120 + options.prefill / 1000,
  },
  (root) => main(options, root),
);
