import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect, test } from "@playwright/test";
import pg from "pg";

import { generateServiceKeyPair, parseSigningKey } from "@fishtag/service-auth/keys";
import { serviceAuthorization } from "@fishtag/service-auth/tokens";
import { startThrowawayPostgres, type ThrowawayPostgres } from "@fishtag/service-kit/testing/postgres-cluster";

import { freePort, kill, REPO_ROOT, running, STAFF, stop, waitUntilHealthy } from "../fixtures/stack";
import { isNoAnswer, repeated, report, underLoad } from "./harness";
import { shopperSession, type CheckoutOutcome } from "./shopper";

// Two replicas of each service on one Postgres (a database each), behind HAProxy with the repository's
// own configuration (deploy/haproxy.cfg), as docker-compose.yml's replicas profile runs them (ADR 0015).
// One replica of each is SIGKILLed and restarted while customers check out and staff move orders on.

const CHECKOUTS = 1000;
const CUSTOMERS = 8;
/** One replica of each service is killed when this many checkouts are answered, and started again this many later. */
const KILL_AT = 300;
const DOWN_FOR = 200;
/** Orders staff move twice (picking, then packed) while a replica of each is killed again. */
const MOVED = 100;

type Service = "warehouse-api" | "store-web";

class Replicas {
  readonly dir = mkdtempSync(join(tmpdir(), "fishtag-replicas-"));
  private readonly storeKeys = generateServiceKeyPair();
  private readonly warehouseKeys = generateServiceKeyPair();
  private readonly processes = new Map<string, ChildProcess>();
  private lb: ChildProcess | undefined;

  private constructor(
    readonly postgres: ThrowawayPostgres,
    readonly databases: Record<Service, string>,
    readonly ports: { store: [number, number]; warehouse: [number, number]; storeLb: number; warehouseLb: number },
  ) {}

  static async start(): Promise<Replicas> {
    const postgres = await startThrowawayPostgres();
    const databases = { "warehouse-api": await postgres.createDatabase("warehouse"), "store-web": await postgres.createDatabase("store") };
    const ports = {
      store: [await freePort(), await freePort()] as [number, number],
      warehouse: [await freePort(), await freePort()] as [number, number],
      storeLb: await freePort(),
      warehouseLb: await freePort(),
    };
    const replicas = new Replicas(postgres, databases, ports);
    try {
      // Both replicas of a service start together: their migrations take turns under the advisory lock.
      await Promise.all([replicas.startWarehouse(0), replicas.startWarehouse(1)]);
      await Promise.all([replicas.startStore(0), replicas.startStore(1)]);
      replicas.startLoadBalancer();
      await expect.poll(() => replicas.ready(), { message: "the load balancer sees both services", timeout: 30_000 }).toBe(true);
    } catch (error) {
      // No replica, balancer or cluster left behind by a start that failed half-way.
      await replicas.close();
      throw error;
    }
    return replicas;
  }

  get storeUrl() {
    return `http://127.0.0.1:${this.ports.storeLb}`;
  }

  get warehouseUrl() {
    return `http://127.0.0.1:${this.ports.warehouseLb}`;
  }

  private spawn(name: string, workspace: string, entry: string, env: Record<string, string>): ChildProcess {
    mkdirSync(join(this.dir, "logs"), { recursive: true });
    const out = openSync(join(this.dir, "logs", `${name}.log`), "a");
    const child = spawn(process.execPath, [entry], {
      cwd: join(REPO_ROOT, workspace),
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn", OTEL_SDK_DISABLED: "true", ...env },
      stdio: ["ignore", out, out],
    });
    closeSync(out);
    this.processes.set(name, child);
    return child;
  }

  async startWarehouse(n: 0 | 1): Promise<void> {
    const port = this.ports.warehouse[n];
    const child = this.spawn(`warehouse-${n}`, "warehouse-api", "dist/index.js", {
      WAREHOUSE_PORT: String(port),
      WAREHOUSE_METRICS_PORT: "0",
      WAREHOUSE_DATABASE_URL: this.databases["warehouse-api"],
      WAREHOUSE_DB_PATH: join(this.dir, `unused-warehouse-${n}.db`),
      WAREHOUSE_ADMIN_EMAIL: STAFF.email,
      WAREHOUSE_ADMIN_PASSWORD: STAFF.password,
      // Status events go through the load balancer, to whichever store replica is up.
      STORE_URL: this.storeUrl,
      WAREHOUSE_SIGNING_KEY: this.warehouseKeys.signingKey,
      STORE_PUBLIC_KEY: this.storeKeys.publicKey,
      WAREHOUSE_RELAY_INTERVAL_MS: "200",
      WAREHOUSE_TRUSTED_PROXIES: "1",
    });
    await waitUntilHealthy(`http://127.0.0.1:${port}/readyz`, child);
  }

  async startStore(n: 0 | 1): Promise<void> {
    const port = this.ports.store[n];
    const child = this.spawn(`store-${n}`, "store-web", "dist/server.js", {
      STORE_PORT: String(port),
      STORE_METRICS_PORT: "0",
      STORE_DATABASE_URL: this.databases["store-web"],
      STORE_DB_PATH: join(this.dir, `unused-store-${n}.db`),
      WAREHOUSE_URL: this.warehouseUrl,
      WAREHOUSE_TIMEOUT_MS: "3000",
      WAREHOUSE_BREAKER_HALF_OPEN_MS: "1000",
      STORE_CHECKOUT_LIMIT_PER_MINUTE: "100000",
      STORE_SIGNING_KEY: this.storeKeys.signingKey,
      WAREHOUSE_PUBLIC_KEY: this.warehouseKeys.publicKey,
      STORE_TRUSTED_PROXIES: "1",
    });
    await waitUntilHealthy(`http://127.0.0.1:${port}/readyz`, child, 60_000);
  }

  private startLoadBalancer(): void {
    const out = openSync(join(this.dir, "logs", "haproxy.log"), "a");
    this.lb = spawn("/usr/sbin/haproxy", ["-db", "-f", join(REPO_ROOT, "deploy", "haproxy.cfg")], {
      env: {
        ...process.env,
        STORE_LB_BIND: `127.0.0.1:${this.ports.storeLb}`,
        WAREHOUSE_LB_BIND: `127.0.0.1:${this.ports.warehouseLb}`,
        STORE_1: `127.0.0.1:${this.ports.store[0]}`,
        STORE_2: `127.0.0.1:${this.ports.store[1]}`,
        WAREHOUSE_1: `127.0.0.1:${this.ports.warehouse[0]}`,
        WAREHOUSE_2: `127.0.0.1:${this.ports.warehouse[1]}`,
      },
      stdio: ["ignore", out, out],
    });
    closeSync(out);
  }

  private async ready(): Promise<boolean> {
    try {
      const answers = await Promise.all([fetch(`${this.storeUrl}/readyz`), fetch(`${this.warehouseUrl}/readyz`)]);
      return answers.every((answer) => answer.ok);
    } catch {
      return false;
    }
  }

  async kill(name: `${"store" | "warehouse"}-${0 | 1}`): Promise<void> {
    await kill(this.processes.get(name));
  }

  /** A call to one replica directly, signed by the store: the same token offered to two replicas. */
  storeToken(url: string): Promise<string> {
    const parsed = parseSigningKey(this.storeKeys.signingKey);
    if (!parsed.ok) throw new Error(parsed.problem);
    return serviceAuthorization({
      key: parsed.key,
      issuer: "store-web",
      audience: "warehouse-api",
      method: "POST",
      url,
    });
  }

  async query<Row>(service: Service, sql: string): Promise<Row[]> {
    const client = new pg.Client({ connectionString: this.databases[service] });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Row[];
    } finally {
      await client.end();
    }
  }

  async close(): Promise<void> {
    this.lb?.kill("SIGKILL");
    await Promise.all([...this.processes.values()].filter(running).map((child) => stop(child)));
    await this.postgres.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An answer that says the load balancer's replica went away mid-request: the customer tries again. */
const lostInFlight = (error: unknown) => isNoAnswer(error) || (error instanceof Error && /: 50[234]$/.test(error.message));

/** Tries again, a tenth of a second later, while the answer was lost with a replica (the balancer's checks take a second or two to see it). */
async function again<T>(attempt: () => Promise<T>, onRetry: () => void = () => undefined): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!lostInFlight(error) || tries >= 30) throw error;
      onRetry();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

let started: Replicas | undefined;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  started = await Replicas.start();
});
test.afterAll(async () => {
  await started?.close();
});

test(`${CHECKOUTS} checkouts and ${MOVED * 2} staff moves on two replicas of each service while one of each is killed: nothing lost or doubled`, async () => {
  test.setTimeout(480_000);
  if (!started) throw new Error("the replicas did not start");
  const replicas = started;
  // A token the store signed is good for one call, at whichever replica takes it first.
  const target = `http://127.0.0.1:${replicas.ports.warehouse[0]}/api/orders`;
  const authorization = await replicas.storeToken(target);
  const unsigned = (port: number) =>
    fetch(`http://127.0.0.1:${port}/api/orders`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: "{}",
    });
  // The first replica takes the token (and then refuses the empty body); the second refuses the token.
  expect((await unsigned(replicas.ports.warehouse[0])).status).toBe(400);
  expect(await (await unsigned(replicas.ports.warehouse[1])).json()).toMatchObject({ error: "unauthenticated" });

  // Checkouts whose answer was lost with a replica, and which the customer sent again: each may have made
  // a second order (the first committed before its replica died), as a customer trying again would.
  const retried = new Set<string>();
  const { answered } = await underLoad({
    lanes: CUSTOMERS,
    steps: CHECKOUTS,
    client: async () => {
      const customer = await again(() => shopperSession(replicas.storeUrl));
      return (step) =>
        again(
          () => customer.checkOut(`PO-REPLICA-${step}`),
          () => retried.add(`PO-REPLICA-${step}`),
        );
    },
    chaos: async (progress) => {
      await progress.reached(KILL_AT);
      await Promise.all([replicas.kill("store-0"), replicas.kill("warehouse-0")]);
      await progress.reached(KILL_AT + DOWN_FOR);
      await Promise.all([replicas.startStore(0), replicas.startWarehouse(0)]);
    },
  });
  const outcomes: CheckoutOutcome[] = answered.map(({ result }) => result);
  const told = outcomes.flatMap((outcome) => (outcome.kind === "refused" ? [] : [outcome.orderNumber]));
  expect(
    outcomes.filter((outcome) => outcome.kind === "refused"),
    "no checkout was refused",
  ).toEqual([]);
  expect(repeated(told), "no order number was given twice").toEqual([]);

  // Every order the store holds reaches the warehouse: the relays on both replicas drain the outbox.
  await expect
    .poll(
      async () =>
        (await replicas.query<{ n: number }>("store-web", "SELECT count(*)::int AS n FROM order_outbox WHERE state <> 'delivered'"))[0]?.n,
      {
        // A checkout cut off with its replica leaves its row to the relays once its lease is over (2 ×
        // WAREHOUSE_TIMEOUT_MS + 10 s), and a row a killed relay had claimed once the claim is (10 × it + 10 s).
        message: "the store's outbox drains",
        timeout: 120_000,
        intervals: [500],
      },
    )
    .toBe(0);
  const storeOrders = await replicas.query<{ number: number; id: string }>("store-web", "SELECT number, id FROM orders");
  const numbers = new Set(storeOrders.map((order) => `ST-${String(order.number).padStart(6, "0")}`));
  const warehouseIds = (await replicas.query<{ id: string }>("warehouse-api", "SELECT store_order_id AS id FROM orders")).map(
    (row) => row.id,
  );
  const inWarehouse = new Set(warehouseIds);
  const lost = storeOrders.filter((order) => !inWarehouse.has(order.id));
  const storeIds = new Set(storeOrders.map((order) => order.id));
  const twice = (
    await replicas.query<{ reference: string }>("store-web", "SELECT reference FROM orders GROUP BY reference HAVING count(*) > 1")
  ).map((row) => row.reference);

  // Staff move orders on through the load balancer while a replica of each is killed again.
  const api = async (path: string, init: RequestInit = {}, headers: Record<string, string> = {}) =>
    again(async () => {
      const response = await fetch(`${replicas.warehouseUrl}${path}`, {
        ...init,
        headers: { "content-type": "application/json", ...headers },
      });
      if (response.status >= 502 && response.status <= 504) throw new Error(`${path}: ${response.status}`);
      return response;
    });
  const signIn = await api("/api/session", { method: "POST", body: JSON.stringify({ email: STAFF.email, password: STAFF.password }) });
  const session = {
    cookie: (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "",
    "x-csrf-token": ((await signIn.json()) as { csrfToken: string }).csrfToken,
  };
  const toMove = (await replicas.query<{ id: string }>("warehouse-api", `SELECT id FROM orders ORDER BY id LIMIT ${MOVED}`)).map(
    (row) => row.id,
  );
  const move = async (id: string, to: string) => {
    const answer = await api(`/api/orders/${id}/transitions`, { method: "POST", body: JSON.stringify({ to }) }, session);
    // 409: a move the replica made before it died (its answer lost); the order is there already.
    expect([200, 409], `moving ${id} to ${to}`).toContain(answer.status);
  };
  // A replica of each is killed half-way through the first moves, and started again half-way through the second.
  for (const [index, id] of toMove.entries()) {
    if (index === MOVED / 2) await Promise.all([replicas.kill("store-1"), replicas.kill("warehouse-1")]);
    await move(id, "picking");
  }
  for (const [index, id] of toMove.entries()) {
    if (index === MOVED / 2) await Promise.all([replicas.startStore(1), replicas.startWarehouse(1)]);
    await move(id, "packed");
  }

  // Every status event reaches the store once and in order: each moved order's warehouse history there
  // is picking, then packed.
  const histories = async () =>
    replicas.query<{ id: string; history: string }>(
      "store-web",
      `SELECT o.id, string_agg(h.status, ',' ORDER BY h.id) AS history FROM orders o JOIN order_status_history h ON h.order_number = o.number
       WHERE h.source = 'warehouse' GROUP BY o.id`,
    );
  await expect
    .poll(async () => (await histories()).filter((row) => row.history === "picking,packed").length, {
      message: "every move reaches the store",
      timeout: 120_000,
      intervals: [500],
    })
    .toBe(MOVED);
  const applied = await histories();

  report("replicas", {
    "checkouts answered": answered.length,
    "orders told to customers": told.length,
    "orders in the store": storeOrders.length,
    "in the warehouse": inWarehouse.size,
    lost: lost.length,
    "checkouts sent again after a lost answer": retried.size,
    "references with two orders": twice.length,
    "staff moves": MOVED * 2,
    "orders whose events arrived once and in order": applied.filter((row) => row.history === "picking,packed").length,
  });
  expect(
    told.filter((number) => !numbers.has(number)),
    "every order a customer was told about is in the store",
  ).toEqual([]);
  expect(lost, "lost: in the store, never in the warehouse").toEqual([]);
  // The warehouse cannot hold a store order twice (its unique index); what could double is an order in the
  // store, and only where the customer sent the checkout again because its answer was lost.
  expect(
    twice.filter((reference) => !retried.has(reference)),
    "a checkout made two orders though its customer sent it once",
  ).toEqual([]);
  expect(
    warehouseIds.filter((id) => !storeIds.has(id)),
    "in the warehouse, never taken by the store",
  ).toEqual([]);
  expect(
    applied.filter((row) => row.history !== "picking,packed"),
    "status events applied twice or out of order",
  ).toEqual([]);
});
