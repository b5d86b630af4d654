import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { databaseReadiness } from "@fishtag/service-kit/sqlite";

import { openDatabase } from "../db/client.server";
import { MIGRATIONS_FOLDER } from "../test/store-db";
import { answerProbe, type ProbeDeps } from "./probes";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** The probes on a server of their own, as server.ts answers them before Next. */
async function probe(
  path: "/livez" | "/readyz",
  deps: ProbeDeps,
): Promise<{ status: number; body: unknown; correlationId: string | null }> {
  const server = createServer((_req, res) => {
    void answerProbe(path, res, "probe-1", deps);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  const response = await fetch(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}${path}`);
  return { status: response.status, body: await response.json(), correlationId: response.headers.get("x-correlation-id") };
}

function storeDatabase() {
  const db = openDatabase(":memory:", { migrationsFolder: MIGRATIONS_FOLDER });
  const errors: unknown[] = [];
  const check = databaseReadiness(
    () => db.$client,
    MIGRATIONS_FOLDER,
    (error) => errors.push(error),
  );
  return {
    db,
    errors,
    database: () => Promise.resolve(check()),
  };
}

describe("the store's probes", () => {
  it("/readyz is 200 with a migrated database and the relay running", async () => {
    const { db, database } = storeDatabase();
    closers.push(() => db.$client.close());
    expect(await probe("/readyz", { database, relayRunning: () => true })).toEqual({
      status: 200,
      body: { status: "ok" },
      correlationId: "probe-1",
    });
  });

  it("/readyz is 503 in the error shape when the database does not answer, or lacks a migration, or the relay stopped; /livez stays 200", async () => {
    const { db, database, errors } = storeDatabase();
    db.$client.prepare("delete from __drizzle_migrations where rowid = (select max(rowid) from __drizzle_migrations)").run();
    expect(await probe("/readyz", { database, relayRunning: () => true })).toMatchObject({
      status: 503,
      body: {
        error: "unavailable",
        message: expect.stringMatching(/^The database has \d+ of \d+ migrations\.$/) as unknown,
        correlationId: "probe-1",
      },
    });
    db.$client.close();
    expect(await probe("/readyz", { database, relayRunning: () => true })).toMatchObject({
      status: 503,
      body: { message: "The database did not answer." },
    });
    expect(errors).toHaveLength(1);
    const migrated = storeDatabase();
    closers.push(() => migrated.db.$client.close());
    expect(await probe("/readyz", { database: migrated.database, relayRunning: () => false })).toMatchObject({
      status: 503,
      body: { message: "The order outbox relay is not running." },
    });
    expect((await probe("/livez", { database, relayRunning: () => false })).status).toBe(200);
  });
});
