// The processes of the replicas bench (bench/replicas.ts), each as production runs it: warehouse replicas
// from the built dist/index.js, HAProxy with the repository's deploy/haproxy.cfg, one throwaway Postgres
// cluster; and what /proc says each has spent. Nothing in the service is wrapped to be measured.

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { getTableName } from "drizzle-orm";

import { openPostgres, type PostgresDb } from "@fishtag/service-kit/postgres";
import { startThrowawayPostgres } from "@fishtag/service-kit/testing/postgres-cluster";

import { openSqliteDatabase } from "../src/db/client.js";
import * as sqliteSchema from "../src/db/schema.js";
import * as postgresSchema from "../src/db/schema.postgres.js";

const WAREHOUSE_ROOT = fileURLToPath(new URL("../", import.meta.url));
const HAPROXY_CONFIG = fileURLToPath(new URL("../../deploy/haproxy.cfg", import.meta.url));
const HAPROXY = "/usr/sbin/haproxy";
const HOST = "127.0.0.1";

type Pool = PostgresDb<typeof postgresSchema>["$client"];

const spawned = new Set<ChildProcess>();
// runBench exits the process on Ctrl-C, a crash or its time budget; no replica or balancer outlives it.
// (The cluster has an exit hook of its own: startThrowawayPostgres.)
process.once("exit", () => {
  for (const child of spawned) child.kill("SIGKILL");
});

// ---- what /proc says ------------------------------------------------------------------------------------

const MICROS_PER_TICK = 1_000_000 / (Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100);

/** /proc/<pid>/stat's fields from the state on (field 3 is [0]): the command name before them may hold spaces. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, every thread) `pid` has used, in µs, at clock-tick resolution (10 ms: a few
 * seconds of load make that small). `reaped` adds its children that have exited and it waited for.
 */
export function cpuMicros(pid: number, { reaped = false } = {}): number {
  const fields = statFields(pid);
  if (!fields) throw new Error(`process ${pid} is gone`);
  const ticks = Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks * MICROS_PER_TICK;
}

/**
 * CPU time the whole machine has spent on anything (every core, every process, the kernel, and time the
 * hypervisor gave to other guests: steal), in µs: what else ran beside the bench shows as the difference.
 */
export function machineBusyMicros(): number {
  const [user, nice, system, , , irq, softirq, steal] =
    readFileSync("/proc/stat", "utf8").split("\n", 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  return [user, nice, system, irq, softirq, steal].reduce<number>((sum, ticks) => sum + (ticks ?? 0), 0) * MICROS_PER_TICK;
}

/**
 * The whole cluster's CPU: the postmaster, every process it forked (one backend per connection, the
 * checkpointer, WAL writer, autovacuum) and those that have exited since (a backend whose connection a
 * pool closed: the postmaster reaps it, and its time moves to the postmaster's children's total).
 */
function clusterCpuMicros(postmaster: number, excluded: ReadonlySet<number>): number {
  let total = cpuMicros(postmaster, { reaped: true });
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || excluded.has(pid)) continue;
    const fields = statFields(pid);
    if (fields && Number(fields[1]) === postmaster) total += (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK;
  }
  return total;
}

// ---- ports and processes --------------------------------------------------------------------------------

/** `count` distinct ports free on HOST now: held together while asked for, so no two are the same. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, HOST, resolve);
      });
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("a listener has no TCP port");
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

export type Process = { label: string; pid: number; child: ChildProcess; logFile: string };

function start(label: string, dir: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Process {
  const logFile = join(dir, `${label}.log`);
  const out = openSync(logFile, "a");
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", out, out] });
  closeSync(out);
  spawned.add(child);
  child.once("exit", () => spawned.delete(child));
  if (child.pid === undefined) throw new Error(`${label}: ${command} did not start`);
  return { label, pid: child.pid, child, logFile };
}

function logTail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "";
  }
}

/** Polls `url` until it answers 200; throws (with the end of the process's log) if it exits or takes too long. */
async function answering(url: string, started: Process, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const { exitCode, signalCode } = started.child;
    if (exitCode !== null || signalCode !== null)
      throw new Error(`${started.label} exited (${signalCode ?? `code ${exitCode ?? "?"}`}) while starting:\n${logTail(started.logFile)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${started.label}: ${url} did not answer 200 within ${deadlineMs} ms:\n${logTail(started.logFile)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The environment a child starts from: this one without the services' own variables, so that a
 * WAREHOUSE_DATABASE_URL (or LOG_LEVEL, OTEL_...) set in the shell cannot change what a setup is.
 */
function baseEnv(): NodeJS.ProcessEnv {
  const own = /^(WAREHOUSE_|STORE_|LOG_|OTEL_|METRICS_)/;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !own.test(name)));
}

export type Replica = Process & { url: string };

/**
 * One warehouse replica: dist/index.js as `npm start` and the images run it (NODE_ENV=production, JSON
 * logs at info on stdout, here into a file; metrics on a port of their own), on SQLite at `database` or
 * on the Postgres database it names. Without STORE_URL its status-event relay is off: creating an order
 * sends no event, and the relay's one poll a second is not what is measured.
 */
export async function startReplica(
  label: string,
  dir: string,
  port: number,
  database: string,
  storePublicKey: string,
  nodeArgs: string[] = [],
): Promise<Replica> {
  const entry = join(WAREHOUSE_ROOT, "dist", "index.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build the warehouse first (the root's npm run bench:replicas does)`);
  const replica = start(
    label,
    dir,
    process.execPath,
    [...nodeArgs, entry],
    {
      ...baseEnv(),
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      // No collector here: tracing as if none were configured, like npm run bench's app.
      OTEL_SDK_DISABLED: "true",
      WAREHOUSE_PORT: String(port),
      WAREHOUSE_METRICS_PORT: "0",
      ...(database.startsWith("postgres://") ? { WAREHOUSE_DATABASE_URL: database } : { WAREHOUSE_DB_PATH: database }),
      STORE_PUBLIC_KEY: storePublicKey,
      // As deploy/ runs replicas behind the balancer, and the same for every setup so that only the database differs.
      WAREHOUSE_TRUSTED_PROXIES: "1",
    },
    WAREHOUSE_ROOT,
  );
  const url = `http://${HOST}:${port}`;
  await answering(`${url}/readyz`, replica);
  return { ...replica, url };
}

export type LoadBalancer = Process & { url: string };

/**
 * HAProxy with deploy/haproxy.cfg unchanged: its warehouse backend's two servers are `warehouses` (the
 * same replica twice for a one-replica setup: round robin over one). The store backend must name
 * servers too: `deadStore` is a port nothing listens on, so its checks fail and it carries nothing.
 */
export async function startLoadBalancer(
  label: string,
  dir: string,
  ports: { warehouse: number; store: number; deadStore: number },
  warehouses: readonly [Replica, Replica],
): Promise<LoadBalancer> {
  if (!existsSync(HAPROXY)) throw new Error(`${HAPROXY} is missing (Debian: apt-get install haproxy)`);
  const address = (replica: Replica) => new URL(replica.url).host;
  const lb = start(label, dir, HAPROXY, ["-db", "-f", HAPROXY_CONFIG], {
    ...baseEnv(),
    WAREHOUSE_LB_BIND: `${HOST}:${ports.warehouse}`,
    WAREHOUSE_1: address(warehouses[0]),
    WAREHOUSE_2: address(warehouses[1]),
    STORE_LB_BIND: `${HOST}:${ports.store}`,
    STORE_1: `${HOST}:${ports.deadStore}`,
    STORE_2: `${HOST}:${ports.deadStore}`,
  });
  const url = `http://${HOST}:${ports.warehouse}`;
  await answering(`${url}/readyz`, lb, 30_000);
  return { ...lb, url };
}

/** SIGTERM (a replica drains and exits, HAProxy stops), SIGKILL after 10 s. */
export async function stopProcess({ child }: Process): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

// ---- the databases ----------------------------------------------------------------------------------------

/** What a setup's run does to its database before it is measured, and checks after. */
export type OrderStore = {
  /** Empties the order tables, so every measured run starts from the same state whichever setup or round it is. */
  reset(): Promise<void>;
  countOrders(): Promise<number>;
};

/** The tables order creation writes (the staff account and the migrations stay). Children first, for SQLite's foreign keys. */
const orderTables = (schema: typeof sqliteSchema | typeof postgresSchema) =>
  [schema.idempotencyKeys, schema.statusOutbox, schema.orderEvents, schema.orderLines, schema.orders, schema.orderStatusCounts].map(
    (table) => getTableName(table),
  );

/** The SQLite replica's file, opened beside it (WAL: this reader or an idle writer does not block the replica). */
export function sqliteOrderStore(file: string): OrderStore & { close(): void } {
  const sqlite = openSqliteDatabase(file).$client;
  const deletes = orderTables(sqliteSchema).map((table) => sqlite.prepare(`DELETE FROM "${table}"`));
  const count = sqlite.prepare<[], { n: number }>("SELECT count(*) AS n FROM orders");
  return {
    reset() {
      sqlite.transaction(() => {
        for (const statement of deletes) statement.run();
      })();
      // The emptied pages written back and the WAL cut to nothing, as Postgres's CHECKPOINT does for its setups.
      sqlite.pragma("wal_checkpoint(TRUNCATE)");
      return Promise.resolve();
    },
    countOrders: () => Promise.resolve(count.get()?.n ?? 0),
    close: () => sqlite.close(),
  };
}

/** Where each sampled client backend of the warehouse's database was: state, wait event, and for a lock wait the statement. */
export type WaitSamples = { samples: number; seen: Map<string, number> };

export type PostgresUnderTest = OrderStore & {
  /** The warehouse's database, for the replicas. */
  url: string;
  cpuMicros(): number;
  /** Samples pg_stat_activity every `everyMs` until the returned function is called; that resolves to the tally. */
  sampleWaits(everyMs: number): () => Promise<WaitSamples>;
  stop(): Promise<void>;
};

/**
 * A throwaway cluster (initdb, its own port and socket) with one database for the replicas, and one
 * connection of the bench's own for resets, counts and wait samples; that connection's backend is left
 * out of the cluster's CPU.
 *
 * The throwaway cluster turns durability off for test speed (fsync, full-page writes, synchronous commit).
 * Here fsync and full-page writes are on again, as in production, and synchronous_commit stays off: the
 * SQLite setup's WAL with synchronous=NORMAL does not flush per commit either. Both may lose the last
 * commits to a power cut and neither is corrupted by one, so the two pay for the same durability.
 */
export async function startPostgres(): Promise<PostgresUnderTest> {
  const cluster = await startThrowawayPostgres();
  let pool: Pool | undefined;
  let dropControl: (() => void) | undefined;
  try {
    const url = await cluster.createDatabase("warehouse_bench");
    // Its tables are made by the first replica's migrations; this pool only lends the bench its one connection.
    pool = (await openPostgres(url, { schema: postgresSchema, poolSize: 1 })).$client;
    const control = await pool.connect();
    // Destroyed rather than returned on a failed start: the pool's end() would wait for it.
    dropControl = () => {
      control.release(true);
    };
    await control.query("ALTER SYSTEM SET fsync = on");
    await control.query("ALTER SYSTEM SET full_page_writes = on");
    await control.query("ALTER SYSTEM SET synchronous_commit = off");
    await control.query("SELECT pg_reload_conf()");
    const { rows } = await control.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const controlPid = rows[0]?.pid;
    const postmaster = controlPid === undefined ? undefined : Number(statFields(controlPid)?.[1]);
    if (controlPid === undefined || !postmaster) throw new Error("could not find the cluster's postmaster");
    const excluded = new Set([controlPid]);
    const truncate = `TRUNCATE ${orderTables(postgresSchema)
      .map((table) => `"${table}"`)
      .join(", ")}, "${getTableName(postgresSchema.serviceTokenUses)}"`;

    return {
      url,
      async reset() {
        await control.query(truncate);
        // A checkpoint now rather than one the timer (5 min) drops into some setup's measured seconds.
        await control.query("CHECKPOINT");
      },
      async countOrders() {
        const result = await control.query<{ n: number }>("SELECT count(*)::int AS n FROM orders");
        return result.rows[0]?.n ?? 0;
      },
      cpuMicros: () => clusterCpuMicros(postmaster, excluded),
      sampleWaits(everyMs) {
        const tally: WaitSamples = { samples: 0, seen: new Map() };
        const sampler = { stopped: false };
        const sampling = (async () => {
          while (!sampler.stopped) {
            const { rows } = await control.query<{ what: string; n: number }>(WAIT_SAMPLE);
            tally.samples++;
            for (const { what, n } of rows) tally.seen.set(what, (tally.seen.get(what) ?? 0) + n);
            await new Promise((resolve) => setTimeout(resolve, everyMs));
          }
        })();
        return async () => {
          sampler.stopped = true;
          await sampling;
          return tally;
        };
      },
      async stop() {
        control.release();
        await pool?.end();
        await cluster.stop();
      },
    };
  } catch (error) {
    dropControl?.();
    await pool?.end();
    await cluster.stop();
    throw error;
  }
}

// "active" without a wait event is a backend on the CPU (or waiting for one); "idle in transaction" is one
// waiting for its replica to send the transaction's next statement; a Lock wait names the statement, which
// tells a wait for the shared order_status_counts row from any other.
const WAIT_SAMPLE = `
  SELECT state
      || coalesce(' ' || wait_event_type || ':' || wait_event, '')
      || CASE WHEN wait_event_type = 'Lock' THEN ' (' || left(regexp_replace(query, '\\s+', ' ', 'g'), 44) || ')' ELSE '' END AS what,
    count(*)::int AS n
  FROM pg_stat_activity
  WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
  GROUP BY 1`;
