import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { pgTable, serial, text } from "drizzle-orm/pg-core";
import { Client, Pool } from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { openPostgres, postgresReadiness, postgresReplayGuard, type PostgresDb } from "./postgres.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "./testing/postgres-cluster.js";

const orders = pgTable("orders", { id: serial().primaryKey(), placedBy: text().notNull() });

let folders = 0;
/** A migrations folder as drizzle-kit writes one: a journal, and one SQL file per entry. */
function migrationsFolder(...migrations: string[][]): string {
  const folder = join(dir(), `drizzle-${String(++folders)}`);
  mkdirSync(join(folder, "meta"), { recursive: true });
  const entries = migrations.map((statements, idx) => {
    const tag = `000${String(idx)}_migration`;
    writeFileSync(join(folder, `${tag}.sql`), statements.join("\n--> statement-breakpoint\n"));
    return { idx, version: "7", when: 1_700_000_000_000 + idx, tag, breakpoints: true };
  });
  writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
  return folder;
}

// vi.waitFor's 1 s default is short on a shared two-core CI machine; this is a backstop, not a pace.
const WAIT = { timeout: 10_000 };

const createOrders = ['CREATE TABLE "orders" ("id" serial PRIMARY KEY, "placed_by" text NOT NULL)'];
// Not idempotent: applied twice, the table would hold two rows.
const seedOrder = [`INSERT INTO "orders" ("placed_by") VALUES ('migration')`];

let cluster: ThrowawayPostgres;
beforeAll(async () => {
  cluster = await startThrowawayPostgres();
});
afterAll(async () => {
  await cluster.stop();
});

let tempDir: string | undefined;
function dir(): string {
  tempDir ??= mkdtempSync(join(tmpdir(), "service-kit-pg-"));
  return tempDir;
}
const opened: { $client: Pool }[] = [];
function track<Db extends { $client: Pool }>(db: Db): Db {
  opened.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.$client.end()));
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

async function migrationRows(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations")).rows[0]?.n ?? -1;
  } finally {
    await client.end();
  }
}

describe("openPostgres", () => {
  it("brings a new database to the latest migration, and maps camelCase fields to snake_case columns", async () => {
    const url = await cluster.createDatabase();
    const db = track(await openPostgres(url, { schema: { orders }, migrationsFolder: migrationsFolder(createOrders, seedOrder) }));

    await db.insert(orders).values({ placedBy: "a customer" });
    expect(await db.select({ placedBy: orders.placedBy }).from(orders).orderBy(orders.id)).toEqual([
      { placedBy: "migration" },
      { placedBy: "a customer" },
    ]);
    expect(await migrationRows(url)).toBe(2);
    expect(db.$client.options.max).toBe(10);
  });

  it("applies only the migrations a database lacks when a newer build starts", async () => {
    const url = await cluster.createDatabase();
    await (await openPostgres(url, { schema: {}, migrationsFolder: migrationsFolder(createOrders) })).$client.end();
    const db = track(await openPostgres(url, { schema: { orders }, migrationsFolder: migrationsFolder(createOrders, seedOrder) }));

    expect(await db.select({ placedBy: orders.placedBy }).from(orders)).toEqual([{ placedBy: "migration" }]);
    expect(await migrationRows(url)).toBe(2);
  });

  it("opens replicas that start at once on one database, and applies each migration once", async () => {
    const url = await cluster.createDatabase();
    const folder = migrationsFolder(createOrders, seedOrder);
    const replicas = await Promise.all([1, 2, 3, 4].map(() => openPostgres(url, { schema: { orders }, migrationsFolder: folder })));
    replicas.forEach(track);

    expect(await replicas[3]?.select({ placedBy: orders.placedBy }).from(orders)).toEqual([{ placedBy: "migration" }]);
    expect(await migrationRows(url)).toBe(2);
  });

  it("makes a replica that starts while another is migrating wait for it, then find nothing left to apply", async () => {
    const url = await cluster.createDatabase();
    // The first replica's migration blocks on this table's lock, which the test holds, in the middle of
    // migrating: the second replica must not get past the migration lock until it is released.
    const gate = new Client({ connectionString: url });
    // Another connection watches: inside the gate's transaction pg_stat_activity would be one snapshot.
    const observer = new Client({ connectionString: url });
    await Promise.all([gate.connect(), observer.connect()]);
    await gate.query("create table gate (id int)");
    await gate.query("begin");
    await gate.query("lock table gate in access exclusive mode");
    const folder = migrationsFolder(["INSERT INTO gate VALUES (1)", ...createOrders], seedOrder);
    const waitingOn = async (event: string) =>
      (
        await observer.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and wait_event = $1",
          [event],
        )
      ).rows[0]?.n;

    const first = openPostgres(url, { schema: { orders }, migrationsFolder: folder });
    let second: Promise<PostgresDb<{ orders: typeof orders }>> | undefined;
    try {
      await vi.waitFor(async () => {
        expect(await waitingOn("relation")).toBe(1);
      }, WAIT);
      second = openPostgres(url, { schema: { orders }, migrationsFolder: folder });
      await vi.waitFor(async () => {
        expect(await waitingOn("advisory")).toBe(1);
      }, WAIT);
    } finally {
      await gate.query("commit");
      await Promise.all([gate.end(), observer.end()]);
    }

    const a = track(await first);
    const b = track(await second);
    expect(await a.select({ placedBy: orders.placedBy }).from(orders)).toEqual([{ placedBy: "migration" }]);
    expect(await b.select({ placedBy: orders.placedBy }).from(orders)).toEqual([{ placedBy: "migration" }]);
    expect(await migrationRows(url)).toBe(2);
  });

  it("rolls a failed migration back, closes its pool, and lets the next start migrate", async () => {
    const url = await cluster.createDatabase();
    await expect(
      openPostgres(url, { schema: {}, migrationsFolder: migrationsFolder(createOrders, ["INSERT INTO no_such_table VALUES (1)"]) }),
    ).rejects.toThrow(/no_such_table/);

    // Its pool is closed: the server sees the sessions end (a moment after the client closes them).
    const admin = new Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await vi.waitFor(async () => {
        const sessions = await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [
          decodeURI(new URL(url).pathname.slice(1)),
        ]);
        expect(sessions.rows[0]?.n).toBe(0);
      }, WAIT);
    } finally {
      await admin.end();
    }
    const db = track(await openPostgres(url, { schema: { orders }, migrationsFolder: migrationsFolder(createOrders, seedOrder) }));
    expect(await db.select({ placedBy: orders.placedBy }).from(orders)).toEqual([{ placedBy: "migration" }]);
  });
});

describe("postgresReadiness", () => {
  it("is ready with every migration, and says how many are missing otherwise", async () => {
    const folder = migrationsFolder(createOrders, seedOrder);
    const ready = track(await openPostgres(await cluster.createDatabase(), { schema: {}, migrationsFolder: folder }));
    const behind = track(
      await openPostgres(await cluster.createDatabase(), { schema: {}, migrationsFolder: migrationsFolder(createOrders) }),
    );
    const never = track(await openPostgres(await cluster.createDatabase(), { schema: {} }));
    const onError = vi.fn();

    expect(await postgresReadiness(ready.$client, folder, onError)()).toBeUndefined();
    expect(await postgresReadiness(behind.$client, folder, onError)()).toBe("The database has 1 of 2 migrations.");
    expect(await postgresReadiness(never.$client, folder, onError)()).toBe("The database has 0 of 2 migrations.");
    expect(onError).not.toHaveBeenCalled();
  });

  it("says the database did not answer once its server is gone, and the pool survives its connections dropping", async () => {
    const own = await startThrowawayPostgres();
    const folder = migrationsFolder(createOrders);
    const poolErrors: Error[] = [];
    const db: PostgresDb<Record<string, never>> = track(
      await openPostgres(await own.createDatabase(), {
        schema: {},
        migrationsFolder: folder,
        onPoolError: (error) => poolErrors.push(error),
      }),
    );
    const onError = vi.fn();
    const readiness = postgresReadiness(db.$client, folder, onError);
    expect(await readiness()).toBeUndefined();

    await own.stop();
    expect(await readiness()).toBe("The database did not answer.");
    expect(onError).toHaveBeenCalledOnce();
    // The idle connection the server dropped reached the listener, not the process.
    await vi.waitFor(() => {
      expect(poolErrors).not.toEqual([]);
    }, WAIT);
  });

  it("says the database did not answer when nothing listens at its address", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const address = closed.address();
    await new Promise<void>((resolve) =>
      closed.close(() => {
        resolve();
      }),
    );
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    const pool = new Pool({ connectionString: `postgres://postgres@127.0.0.1:${address.port}/postgres` });
    const onError = vi.fn();
    try {
      expect(await postgresReadiness(pool, migrationsFolder(createOrders), onError)()).toBe("The database did not answer.");
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "ECONNREFUSED" }));
    } finally {
      await pool.end();
    }
  });

  it("answers within its deadline when the database takes the connection and never replies", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    const pool = new Pool({ connectionString: `postgres://postgres@127.0.0.1:${address.port}/postgres` });
    pool.on("error", () => undefined);
    const onError = vi.fn();
    try {
      const started = performance.now();
      expect(await postgresReadiness(pool, migrationsFolder(createOrders), onError)()).toBe("The database did not answer.");
      expect(performance.now() - started).toBeLessThan(4_000);
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/no answer within/) as unknown }));
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        silent.close(() => {
          resolve();
        }),
      );
      await pool.end();
    }
  });
});

describe("postgresReplayGuard", () => {
  it("takes a token once across replicas, and forgets it once it can no longer be used", async () => {
    const pool = track(await openPostgres(await cluster.createDatabase(), { schema: {} })).$client;
    await pool.query("CREATE TABLE token_uses (jti text PRIMARY KEY, forget_after timestamptz NOT NULL)");
    // Two replicas' guards on the one table; a minute-long token, first offered now (t, in seconds).
    const [one, other] = [postgresReplayGuard(pool, "token_uses"), postgresReplayGuard(pool, "token_uses")];
    const t = Math.floor(Date.now() / 1000);

    expect(await one.firstUse("jti-1", t + 65, t)).toBe(true);
    expect(await other.firstUse("jti-1", t + 65, t + 1)).toBe(false);
    expect(await one.firstUse("jti-1", t + 65, t + 2)).toBe(false);
    // A token whose use is over by the database's clock goes at the next sweep (each guard sweeps at most
    // every 10 s of its own calls' time): `one` swept at t, `other` at t + 1 and again at t + 20.
    expect(await one.firstUse("jti-old", t - 5, t + 3)).toBe(true);
    expect(await other.firstUse("jti-2", t + 100, t + 20)).toBe(true);
    expect((await pool.query("SELECT jti FROM token_uses ORDER BY jti")).rows).toEqual([{ jti: "jti-1" }, { jti: "jti-2" }]);
  });

  it("lets exactly one of many replicas take a token offered to all at once", async () => {
    const pool = track(await openPostgres(await cluster.createDatabase(), { schema: {} })).$client;
    await pool.query("CREATE TABLE token_uses (jti text PRIMARY KEY, forget_after timestamptz NOT NULL)");
    const guards = Array.from({ length: 8 }, () => postgresReplayGuard(pool, "token_uses"));

    const t = Math.floor(Date.now() / 1000);
    const taken = await Promise.all(guards.map((guard) => Promise.resolve(guard.firstUse("jti-raced", t + 65, t))));

    expect(taken.filter(Boolean)).toHaveLength(1);
  });
});

describe("startThrowawayPostgres", () => {
  it("makes databases with any name Postgres allows, each reachable at the URL it returns", async () => {
    const names = ['an "Odd" name, with spaces', "ümlaut-1"];
    const urls = [...(await Promise.all(names.map((name) => cluster.createDatabase(name)))), await cluster.createDatabase()];
    for (const url of urls) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>("select current_database() as name");
        expect(decodeURI(new URL(url).pathname.slice(1))).toBe(rows[0]?.name);
      } finally {
        await client.end();
      }
    }
    await expect(cluster.createDatabase("x".repeat(64))).rejects.toThrow(/63-byte/);
    await expect(cluster.createDatabase("what?")).rejects.toThrow(/URL that pg reads back/);
    expect(new Set(urls).size).toBe(3);
  });
});
