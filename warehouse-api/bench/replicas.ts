// Create-order throughput across deployments of the warehouse (issue 14): one replica on SQLite, one on
// Postgres, that one behind HAProxy, and two on the same Postgres behind HAProxy; with the CPU each group of
// processes spends per order, so the load balancer's own cost per request is a number. A measurement, not
// a test: it exits 0 whatever the figures, and 1 only when the benchmark itself is broken (an answer other
// than 201, a connection error, a process that does not start, stored orders that do not match the answers).
//
//   npm run bench:replicas -- [--rounds 3] [--duration 5] [--connections 20] [--warmup 5] [--prime 1] [--probe 1] [--profile]
//
// --probe: seconds of one connection, one request at a time, after each measured run: the latency of the
// path itself (a hop through HAProxy), which the loaded run's queueing would hide.
// --profile: the replicas run under --cpu-prof, summarised at the end (their CPU figures are then inflated).
//
// Each replica is the real service (dist/index.js, as `npm start` and the images run it), a process of its
// own started with the env e2e's replica fault test gives it, because the question is about deployments:
// its pool size, middleware, metrics and token replay guard on Postgres come as production wires them,
// not as a bench would. The setups run in alternating order (a b c d, then d c b a, ...) so drift on a
// shared machine hits all alike; each ratio compares setups within one round, and the report is the
// median over rounds, leaving out runs in which something else took a share of the machine (other%).
//
// Every measured run starts from the same database state: the run is primed (--prime seconds of the same
// load, so pools are open and code is hot), its last requests let finish, then the order tables are
// emptied (TRUNCATE + CHECKPOINT on Postgres, DELETE + WAL checkpoint on SQLite), then measured. A fresh
// database per run would need fresh replicas, whose cold start the prime could not hide.

import { mkdtempSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

import { testKeyPair } from "@fishtag/service-auth/testing";

import type { Order } from "../src/orders/orders.schemas.js";
import { readFlags, runBench } from "./child-process.js";
import { mainThreadProfile, summariseCpuProfile } from "./cpu-profile.js";
import { loadProblems, non201Count, orderLoad, type OrderLoad } from "./order-load.js";
import { storeOrderRequest } from "./protocol.js";
import {
  cpuMicros,
  freePorts,
  machineBusyMicros,
  sqliteOrderStore,
  startLoadBalancer,
  startPostgres,
  startReplica,
  stopProcess,
  type LoadBalancer,
  type OrderStore,
  type PostgresUnderTest,
  type Replica,
  type WaitSamples,
} from "./replica-stack.js";
import { fixed, median, textTable } from "./report.js";

const STORE_KEYS = testKeyPair();
/** How often pg_stat_activity is sampled in a measured Postgres run: often enough for a few hundred samples, rarely enough to cost nothing. */
const WAIT_SAMPLE_MS = 50;
/** other% above which a run is called disturbed: the processes it measures lost a good share of the machine. */
const DISTURBED_PCT = 10;

const options = readFlags(
  "npm run bench:replicas --",
  {
    rounds: { default: 3, min: 1 },
    duration: { default: 5, min: 1, integer: false },
    connections: { default: 20, min: 1 },
    warmup: { default: 5, min: 0, integer: false },
    prime: { default: 1, min: 0, integer: false },
    probe: { default: 1, min: 0, integer: false },
  },
  ["profile"],
);
type Options = typeof options;

// ---- setups ----------------------------------------------------------------------------------------

const SETUP_KEYS = ["a", "b", "c", "d"] as const;
type SetupKey = (typeof SETUP_KEYS)[number];

type Setup = {
  key: SetupKey;
  /** Where the store would send its orders: a replica, or the balancer. */
  url: string;
  replicas: Replica[];
  lb: LoadBalancer | undefined;
  store: OrderStore;
  postgres: PostgresUnderTest | undefined;
};

const TITLES: Record<SetupKey, string> = {
  a: "1 replica, SQLite, direct",
  b: "1 replica, Postgres, direct",
  c: "1 replica, Postgres, HAProxy",
  d: "2 replicas, Postgres, HAProxy",
};

// ---- load ------------------------------------------------------------------------------------------

const runId = Date.now().toString(36);

/** `seconds` of create-order load on `setup`, as the Store sends it; `label` keeps ids unique across the run. */
function load(setup: Setup, seconds: number, label: string, connections = options.connections): Promise<OrderLoad> {
  return orderLoad({
    url: `${setup.url}/api/orders`,
    signingKey: STORE_KEYS.signingKey,
    connections,
    seconds,
    prefix: `${runId}-${label}`,
  });
}

/** One order before any load: the setup stores it and answers with it, its correlation ID echoed. */
async function checkOnce(setup: Setup): Promise<void> {
  const ordersUrl = `${setup.url}/api/orders`;
  const storeOrderId = `st-${runId}-${setup.key}-check`;
  const correlationId = `bench-${runId}-${setup.key}-check`;
  const order = storeOrderRequest(STORE_KEYS.signingKey, ordersUrl, storeOrderId, correlationId);
  const response = await fetch(ordersUrl, { method: "POST", ...order, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`setup ${setup.key} answered ${response.status} to a valid order: ${text.slice(0, 500)}`);
  const stored = JSON.parse(text) as Partial<Order>;
  if (stored.storeOrderId !== storeOrderId || response.headers.get("x-correlation-id") !== correlationId)
    throw new Error(`setup ${setup.key}'s answer does not match the order sent: ${text.slice(0, 500)}`);
}

// ---- one measured run ------------------------------------------------------------------------------

type Run = {
  round: number;
  key: SetupKey;
  load: OrderLoad;
  /** Latency with one request at a time (--probe); undefined without a probe. */
  probe: OrderLoad | undefined;
  /** CPU µs per answered request of each group of processes; undefined where the setup has none of it. */
  replicasUs: number;
  postgresUs: number | undefined;
  lbUs: number | undefined;
  genUs: number;
  /** Each replica's share of the replicas' CPU (two replicas: is the balancer spreading the load?). */
  replicaShares: number[];
  /** CPU of every measured process (generator included) over the wall time of all the machine's cores. */
  busyPct: number;
  /**
   * The machine's CPU spent outside the measured processes (other sessions, the idle setups' health
   * checks, steal), over its cores: a run where this is more than a few percent was disturbed.
   */
  otherPct: number;
  waits: WaitSamples | undefined;
};

type Snapshot = {
  wallUs: number;
  machine: number;
  gen: NodeJS.CpuUsage;
  replicas: number[];
  postgres: number | undefined;
  lb: number | undefined;
};

function snapshot(setup: Setup): Snapshot {
  return {
    wallUs: performance.now() * 1000,
    machine: machineBusyMicros(),
    gen: process.cpuUsage(),
    replicas: setup.replicas.map((replica) => cpuMicros(replica.pid)),
    postgres: setup.postgres?.cpuMicros(),
    lb: setup.lb && cpuMicros(setup.lb.pid),
  };
}

async function measure(setup: Setup, round: number): Promise<{ run: Run; issues: string[] }> {
  const label = `${setup.key}${round}`;
  const issues: string[] = [];
  if (options.prime > 0) {
    const primed = await load(setup, options.prime, `${label}-prime`);
    issues.push(...loadProblems(`round ${round} ${setup.key} prime`, primed));
    // The requests still in flight when the prime stopped: done before the reset, and outside the measured CPU.
    await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 200 + 2 * (Number.isFinite(primed.p99Ms) ? primed.p99Ms : 0))));
  }
  await setup.store.reset();

  const before = snapshot(setup);
  const stopSampling = setup.postgres?.sampleWaits(WAIT_SAMPLE_MS);
  const result = await load(setup, options.duration, label);
  const after = snapshot(setup);
  const waits = await stopSampling?.();
  const gen = process.cpuUsage(before.gen);

  issues.push(...loadProblems(`round ${round} ${setup.key}`, result));
  // A request still in flight when the load stopped may be stored without its answer counted; never fewer.
  const stored = await setup.store.countOrders();
  if (stored < result.created || stored > result.created + options.connections)
    issues.push(`round ${round} ${setup.key}: ${stored} orders stored for ${result.created} answered 201`);
  const probe = options.probe > 0 ? await load(setup, options.probe, `${label}-probe`, 1) : undefined;
  if (probe) issues.push(...loadProblems(`round ${round} ${setup.key} probe`, probe));

  const perRequest = (micros: number) => micros / Math.max(result.requests, 1);
  const replicaMicros = after.replicas.map((micros, i) => micros - (before.replicas[i] ?? 0));
  const replicasTotal = replicaMicros.reduce((sum, micros) => sum + micros, 0);
  const postgres = after.postgres === undefined || before.postgres === undefined ? undefined : after.postgres - before.postgres;
  const lb = after.lb === undefined || before.lb === undefined ? undefined : after.lb - before.lb;
  const genMicros = gen.user + gen.system;
  const ours = replicasTotal + (postgres ?? 0) + (lb ?? 0) + genMicros;
  const machineUs = (after.wallUs - before.wallUs) * availableParallelism();
  return {
    issues,
    run: {
      round,
      key: setup.key,
      load: result,
      probe,
      replicasUs: perRequest(replicasTotal),
      postgresUs: postgres === undefined ? undefined : perRequest(postgres),
      lbUs: lb === undefined ? undefined : perRequest(lb),
      genUs: perRequest(genMicros),
      replicaShares: replicaMicros.map((micros) => micros / Math.max(replicasTotal, 1)),
      busyPct: (100 * ours) / machineUs,
      otherPct: (100 * (after.machine - before.machine - ours)) / machineUs,
      waits,
    },
  };
}

// ---- report ----------------------------------------------------------------------------------------

const { row, header } = textTable(
  [
    ["round", 6],
    ["setup", 31],
    ["req/s", 7],
    ["p50 ms", 7],
    ["p99 ms", 7],
    ["1c p50", 7],
    ["1c p99", 7],
    ["replicas µs", 12],
    ["postgres µs", 12],
    ["haproxy µs", 11],
    ["sum µs", 7],
    ["gen µs", 7],
    ["busy%", 6],
    ["other%", 7],
    ["requests", 9],
    ["non-201", 8],
    ["errors", 7],
  ],
  2,
);

/** CPU per request of the service's processes: the replicas, Postgres and HAProxy, not the load generator. */
const serviceUs = (r: Run) => r.replicasUs + (r.postgresUs ?? 0) + (r.lbUs ?? 0);
const maybe = (value: number | undefined, digits: number) => (value === undefined ? "-" : fixed(value, digits));

function runRow(r: Run): string {
  return row([
    String(r.round),
    `${r.key} ${TITLES[r.key]}`,
    fixed(r.load.reqPerSec, 0),
    fixed(r.load.p50Ms, 2),
    fixed(r.load.p99Ms, 2),
    maybe(r.probe?.p50Ms, 2),
    maybe(r.probe?.p99Ms, 2),
    fixed(r.replicasUs, 0),
    maybe(r.postgresUs, 0),
    maybe(r.lbUs, 0),
    fixed(serviceUs(r), 0),
    fixed(r.genUs, 0),
    fixed(r.busyPct, 0),
    fixed(r.otherPct, 0),
    String(r.load.requests),
    String(non201Count(r.load.non201)),
    String(r.load.errors),
  ]);
}

function medianRow(key: SetupKey, runs: Run[]): string {
  const cell = (pick: (r: Run) => number | undefined, digits: number) => {
    const values = runs.map(pick).filter((value) => value !== undefined);
    return maybe(values.length ? median(values) : undefined, digits);
  };
  return row([
    "median",
    `${key} ${TITLES[key]}`,
    cell((r) => r.load.reqPerSec, 0),
    cell((r) => r.load.p50Ms, 2),
    cell((r) => r.load.p99Ms, 2),
    cell((r) => r.probe?.p50Ms, 2),
    cell((r) => r.probe?.p99Ms, 2),
    cell((r) => r.replicasUs, 0),
    cell((r) => r.postgresUs, 0),
    cell((r) => r.lbUs, 0),
    cell(serviceUs, 0),
    cell((r) => r.genUs, 0),
    cell((r) => r.busyPct, 0),
    cell((r) => r.otherPct, 0),
    cell((r) => r.load.requests, 0),
    "",
    "",
  ]);
}

/** Per round, `compare` of setup `x`'s run with setup `y`'s in the same round, and their median. */
function acrossRounds(
  runs: Run[],
  x: SetupKey,
  y: SetupKey,
  compare: (x: Run, y: Run) => number,
): { median: number; each: { round: number; value: number }[] } {
  const each: { round: number; value: number }[] = [];
  for (const r of runs.filter((run) => run.key === x)) {
    const other = runs.find((run) => run.key === y && run.round === r.round);
    if (other) each.push({ round: r.round, value: compare(r, other) });
  }
  return { median: median(each.map(({ value }) => value)), each };
}

function ratioLine(runs: Run[], x: SetupKey, y: SetupKey, what: string): string {
  const { median: m, each } = acrossRounds(runs, x, y, (a, b) => a.load.reqPerSec / b.load.reqPerSec);
  return `  ${x}/${y} ${fixed(m, 2)}  ${what} (round ${each.map(({ round, value }) => `${round}: ${fixed(value, 2)}`).join(", ")})`;
}

/**
 * Where the warehouse's Postgres backends were, over every measured run of `key`: of those in a statement
 * or a transaction, the share in each state and wait. Backends idle between transactions (a pool's spare
 * connections, the other replica's) are left out.
 */
function waitReport(key: SetupKey, runs: Run[]): string[] {
  let samples = 0;
  const seen = new Map<string, number>();
  for (const r of runs.filter((run) => run.key === key)) {
    if (!r.waits) continue;
    samples += r.waits.samples;
    for (const [what, n] of r.waits.seen) if (!/^idle(?! in transaction)/.test(what)) seen.set(what, (seen.get(what) ?? 0) + n);
  }
  const busy = [...seen.values()].reduce((sum, n) => sum + n, 0);
  if (!busy) return [];
  const sorted = [...seen.entries()].sort((x, y) => y[1] - x[1]);
  const share = (n: number) => `${fixed((100 * n) / busy, 1)}%`;
  const locked = sorted.filter(([what]) => what.includes(" Lock:")).reduce((sum, [, n]) => sum + n, 0);
  return [
    `  ${key} ${TITLES[key]}: ${samples} samples, ${fixed(busy / samples, 1)} backends in a transaction on average, ` +
      `${share(locked)} of them waiting for a lock`,
    ...sorted.slice(0, 6).map(([what, n]) => `    ${share(n).padStart(6)}  ${what}`),
  ];
}

// ---- main ------------------------------------------------------------------------------------------

async function startSetups(root: string, profileRoot: string | undefined): Promise<{ setups: Setup[]; stop: () => Promise<void> }> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    // Last started, first stopped: the replicas before the cluster they use.
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const postgres = await startPostgres();
    cleanups.push(() => postgres.stop());
    const [sqlitePort, pg1Port, pg2Port, lb1Port, lb2Port, store1Port, store2Port, deadStore] = await freePorts(8);
    const port = (value: number | undefined) => {
      if (value === undefined) throw new Error("too few free ports");
      return value;
    };
    const replica = async (label: string, portNumber: number | undefined, database: string) => {
      const profile = profileRoot ? ["--cpu-prof", `--cpu-prof-dir=${join(profileRoot, label)}`] : [];
      const started = await startReplica(label, root, port(portNumber), database, STORE_KEYS.env.publicKey, profile);
      cleanups.push(() => stopProcess(started));
      return started;
    };
    const sqliteFile = join(root, "warehouse.db");
    const sqlite = await replica("sqlite-1", sqlitePort, sqliteFile);
    // One after the other: the first migrates the database, the second finds nothing left to do.
    const pg1 = await replica("postgres-1", pg1Port, postgres.url);
    const pg2 = await replica("postgres-2", pg2Port, postgres.url);
    const balancer = async (
      label: string,
      warehousePort: number | undefined,
      storePort: number | undefined,
      servers: [Replica, Replica],
    ) => {
      const ports = { warehouse: port(warehousePort), store: port(storePort), deadStore: port(deadStore) };
      const started = await startLoadBalancer(label, root, ports, servers);
      cleanups.push(() => stopProcess(started));
      return started;
    };
    const lb1 = await balancer("haproxy-1", lb1Port, store1Port, [pg1, pg1]);
    const lb2 = await balancer("haproxy-2", lb2Port, store2Port, [pg1, pg2]);
    const sqliteStore = sqliteOrderStore(sqliteFile);
    cleanups.push(() => {
      sqliteStore.close();
    });

    const onPostgres = { store: postgres, postgres };
    const setups: Setup[] = [
      { key: "a", url: sqlite.url, replicas: [sqlite], lb: undefined, store: sqliteStore, postgres: undefined },
      { key: "b", url: pg1.url, replicas: [pg1], lb: undefined, ...onPostgres },
      { key: "c", url: lb1.url, replicas: [pg1], lb: lb1, ...onPostgres },
      { key: "d", url: lb2.url, replicas: [pg1, pg2], lb: lb2, ...onPostgres },
    ];
    return { setups, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function report(all: Run[]): void {
  // On a shared machine another session's load can halve a run's throughput: such runs are left out of the
  // medians and ratios (a ratio needs both of its round's runs), as long as every setup keeps one.
  const undisturbed = all.filter((r) => r.otherPct <= DISTURBED_PCT);
  const disturbed = all.filter((r) => r.otherPct > DISTURBED_PCT);
  const leaveOut = disturbed.length > 0 && SETUP_KEYS.every((key) => undisturbed.some((r) => r.key === key));
  const runs = leaveOut ? undisturbed : all;
  const runsOf = (key: SetupKey) => runs.filter((r) => r.key === key);
  if (disturbed.length > 0)
    console.log(
      `\nDISTURBED: something else took over ${DISTURBED_PCT}% of the machine in runs ` +
        `${disturbed.map((r) => `${r.round}${r.key} (${fixed(r.otherPct, 0)}%)`).join(", ")}; ` +
        (leaveOut ? "the figures below leave them out" : "every setup has one, so the figures below include them: run again"),
    );
  console.log(`\nmedians of the runs (${SETUP_KEYS.map((key) => `${key}: ${runsOf(key).length}`).join(", ")})`);
  console.log(header);
  for (const key of SETUP_KEYS) console.log(medianRow(key, runsOf(key)));

  console.log("\nthroughput ratios, within each round, median over rounds:");
  console.log(ratioLine(runs, "b", "a", "Postgres ÷ SQLite, one replica, direct"));
  console.log(ratioLine(runs, "d", "c", "2 replicas ÷ 1, both behind HAProxy"));
  console.log(ratioLine(runs, "c", "b", "behind HAProxy ÷ direct, one replica on Postgres (the balancer's cost)"));

  const added = (pick: (r: Run) => number | undefined) =>
    fixed(acrossRounds(runs, "c", "b", (c, b) => (pick(c) ?? Number.NaN) - (pick(b) ?? Number.NaN)).median, 2);
  const lbUs = (key: SetupKey) => fixed(median(runsOf(key).map((r) => r.lbUs ?? Number.NaN)), 0);
  console.log(
    `the load balancer: HAProxy ${lbUs("c")} µs CPU per request (${lbUs("d")} with two replicas); latency added (c - b): ` +
      `one request at a time p50 ${added((r) => r.probe?.p50Ms)} ms, p99 ${added((r) => r.probe?.p99Ms)} ms; ` +
      `under load p50 ${added((r) => r.load.p50Ms)} ms, p99 ${added((r) => r.load.p99Ms)} ms`,
  );
  const shares = runsOf("d").map((r) => r.replicaShares.map((share) => fixed(100 * share, 0)).join("/"));
  console.log(`two replicas' CPU split (d, per round, %): ${shares.join("  ")}`);
  const service = SETUP_KEYS.map((key) => `${key} ${fixed(median(runsOf(key).map(serviceUs)), 0)} µs`);
  console.log(`service CPU per request (replicas + Postgres + HAProxy, medians): ${service.join(", ")}`);

  console.log(
    `\nPostgres backends of the warehouse's database, sampled every ${WAIT_SAMPLE_MS} ms during the measured runs ` +
      `("idle in transaction": waiting for its replica to send the next statement):`,
  );
  for (const key of ["b", "c", "d"] as const) for (const line of waitReport(key, runs)) console.log(line);
}

/** Orders a replica answered over its life (warm-up, primes and probes included), from its request log lines. */
function ordersHandled(logFile: string): number {
  return readFileSync(logFile, "utf8")
    .split("\n")
    .filter((line) => line.includes('"msg":"request completed"') && line.includes('"path":"/api/orders"')).length;
}

function printProfiles(profileRoot: string, replicas: Replica[]): void {
  console.log("\n(profiled run: the replicas ran under --cpu-prof, so the figures above are higher than usual)");
  for (const replica of replicas) {
    const file = mainThreadProfile(join(profileRoot, replica.label));
    console.log(`\n${replica.label} CPU profile: ${file ?? "(not written)"}`);
    const handled = ordersHandled(replica.logFile);
    if (file && handled) for (const line of summariseCpuProfile(file, handled)) console.log(line);
  }
}

async function main(options: Options, root: string): Promise<number> {
  const cores = availableParallelism();
  const load1 = loadavg()[0] ?? Number.NaN;
  console.log(
    `replicas bench: create-order (POST /api/orders as the store sends it: signed, Idempotency-Key, correlation ID), ` +
      `${options.rounds} rounds × ${options.duration}s per setup, ${options.connections} connections, ${options.prime}s prime ` +
      `before each run, ${options.warmup}s warm-up each first; load average ${fixed(load1, 2)} at the start`,
  );
  console.log(
    `NOTE: this machine has ${cores} core${cores === 1 ? "" : "s"}, shared by the replicas, Postgres, HAProxy and the load ` +
      `generator: two replicas cannot scale here, so d/c shows contention, not capacity. The CPU µs per request of each ` +
      `group is what carries over to a machine with cores to spare.`,
  );
  // Outside `root`, which is removed at the end: the profiles are for reading afterwards.
  const profileRoot = options.profile ? mkdtempSync(join(tmpdir(), "warehouse-bench-replicas-profile-")) : undefined;
  const { setups, stop } = await startSetups(root, profileRoot);
  const issues: string[] = [];
  try {
    for (const setup of setups) await checkOnce(setup);
    if (options.warmup > 0) {
      for (const setup of setups)
        issues.push(...loadProblems(`${setup.key} warm-up`, await load(setup, options.warmup, `${setup.key}-warmup`)));
    }

    console.log(
      `\nCPU columns: µs per answered request of each group of processes. busy%: those and the load generator, over all ${cores} ` +
        `cores; other%: the rest of the machine's CPU (other processes, steal): a run with more than a few % was disturbed`,
    );
    console.log(header);
    const runs: Run[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 ? setups : [...setups].reverse();
      for (const setup of order) {
        const { run, issues: found } = await measure(setup, round);
        runs.push(run);
        issues.push(...found);
        console.log(runRow(run));
      }
    }
    report(runs);
    for (const setup of setups) {
      if (setup.replicas.some(({ child }) => child.exitCode !== null || child.signalCode !== null))
        issues.push(`setup ${setup.key}: a replica exited during the run`);
    }
  } finally {
    // The replicas write their profiles as they exit.
    await stop();
  }
  if (profileRoot) printProfiles(profileRoot, [...new Set(setups.flatMap((setup) => setup.replicas))]);

  if (issues.length > 0) {
    console.error(`\nBENCHMARK BROKEN: not every request was answered 201 and stored\n  ${issues.join("\n  ")}`);
    return 1;
  }
  return 0;
}

runBench(
  {
    tmpPrefix: "warehouse-bench-replicas-",
    budgetSeconds: 4 * (options.warmup + options.rounds * (options.prime + options.duration + options.probe + 5)) + 180,
  },
  (root) => main(options, root),
);
