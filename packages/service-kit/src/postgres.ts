import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { DatabaseError, escapeIdentifier, Pool, type ClientConfig, type QueryConfig } from "pg";

import type { ReplayGuard } from "@fishtag/service-auth/tokens";

export type PostgresDb<Schema extends Record<string, unknown>> = NodePgDatabase<Schema> & { $client: Pool };

export type OpenPostgresOptions<Schema extends Record<string, unknown>> = {
  /** The service's drizzle tables (pg-core), for its typed queries. */
  schema: Schema;
  /** The committed migrations (drizzle-kit's output for Postgres): the database is brought to the latest one. */
  migrationsFolder?: string;
  /**
   * Connections each replica keeps at most; default 10. The database's connections (100 by default) are
   * shared by every replica, the migrations and whoever opens psql, and a service's queries are short
   * single-row writes and one list: past a few per core of the database server, more connections queue in
   * Postgres instead of in the pool, and cost it memory each.
   */
  poolSize?: number;
  /**
   * An idle connection that fails (the server restarted, an admin terminated it): the pool has dropped it
   * and the next query opens another. Without a listener, the pool's 'error' event would end the process.
   */
  onPoolError?: (error: Error) => void;
};

export const DEFAULT_POOL_SIZE = 10;

/**
 * How long a query waits for a connection, opening one or for a busy pool to free one: an unreachable
 * host otherwise holds the request until TCP gives up (about two minutes on Linux).
 */
const CONNECTION_TIMEOUT_MS = 5_000;

/** How long /readyz waits for the database before saying it did not answer. */
const READINESS_TIMEOUT_MS = 2_000;

/** Where drizzle's pg migrator records what it applied (its defaults, which openPostgres keeps). */
const MIGRATIONS_SCHEMA = "drizzle";
const MIGRATIONS_TABLE = "__drizzle_migrations";

/**
 * Advisory locks have one key space per database, shared with anything else that takes them: the key is
 * derived from the migrations table's name, so every build of every service agrees on it without a
 * registry, and another user of advisory locks is unlikely to pick it.
 */
const MIGRATION_LOCK_KEY = createHash("sha256").update(`${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}`).digest().readBigInt64BE(0).toString();

const UNDEFINED_TABLE = "42P01";

/**
 * Opens a pool on a service's Postgres database, with the snake_case columns openSqlite's databases have,
 * and migrates it. Rejects (and closes the pool) when the database cannot be reached or a migration fails.
 */
export async function openPostgres<Schema extends Record<string, unknown>>(
  url: string,
  { schema, migrationsFolder, poolSize = DEFAULT_POOL_SIZE, onPoolError = () => undefined }: OpenPostgresOptions<Schema>,
): Promise<PostgresDb<Schema>> {
  const pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: CONNECTION_TIMEOUT_MS });
  pool.on("error", onPoolError);
  try {
    if (migrationsFolder) await migrateExclusively(pool, migrationsFolder);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return drizzle(pool, { schema, casing: "snake_case" });
}

/**
 * Replicas start together and each migrates. drizzle's migrator alone would let two of them read the same
 * last migration and both apply the next (one fails on "already exists", or worse, a data migration runs
 * twice); even its `create schema if not exists` races. The session lock is held on the one connection that
 * migrates: a later replica waits for it, then finds nothing left to apply.
 */
async function migrateExclusively(pool: Pool, migrationsFolder: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1::bigint)", [MIGRATION_LOCK_KEY]);
    await migrate(drizzle(client), { migrationsFolder });
    await client.query("select pg_advisory_unlock($1::bigint)", [MIGRATION_LOCK_KEY]);
    client.release();
  } catch (error) {
    // Closing the session releases its lock whatever state the failure left it in (a transaction aborted,
    // a connection lost mid-query), where an unlock could fail in its turn and hide the first error.
    client.release(true);
    throw error;
  }
}

/**
 * Why a service's Postgres database should not get traffic (for /readyz), or undefined when it can: it
 * must answer within READINESS_TIMEOUT_MS, and hold every migration this build was made with (a database
 * an older build migrated is not this one's). The journal is read once, when the check is made.
 */
export function postgresReadiness(
  pool: Pool,
  migrationsFolder: string,
  onError: (error: unknown) => void,
): () => Promise<string | undefined> {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  const expected = journal.entries.length;
  return async () => {
    let applied: number;
    try {
      applied = await appliedMigrations(pool);
    } catch (error) {
      onError(error);
      return "The database did not answer.";
    }
    return applied < expected ? `The database has ${String(applied)} of ${String(expected)} migrations.` : undefined;
  };
}

async function appliedMigrations(pool: Pool): Promise<number> {
  // query_timeout (pg's own, not in its types' QueryConfig) fails a query the server stopped answering and
  // closes its connection, so probes do not pile up on hung connections; the deadline around it also
  // bounds the wait for a connection.
  const query: QueryConfig & Pick<ClientConfig, "query_timeout"> = {
    text: `select count(*)::int as applied from "${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}"`,
    query_timeout: READINESS_TIMEOUT_MS,
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`));
    }, READINESS_TIMEOUT_MS);
  });
  try {
    const { rows } = await Promise.race([pool.query<{ applied: number }>(query), deadline]);
    return rows[0]?.applied ?? 0;
  } catch (error) {
    // Reachable but never migrated (drizzle creates its table at the first migration).
    if (error instanceof DatabaseError && error.code === UNDEFINED_TABLE) return 0;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A replay guard (service-auth's ReplayGuard) that every replica of a service shares: a token's jti is
 * inserted if absent, in one atomic statement, into `table` (jti text primary key, forget_after
 * timestamptz: each service declares it in its Postgres schema), and the insert that finds it there
 * refuses the token. Tokens that can no longer be used are deleted every `sweepEveryMs`, so the table
 * holds about a minute of calls.
 */
export function postgresReplayGuard(pool: Pool, table: string, { sweepEveryMs = 10_000 } = {}): ReplayGuard {
  const name = escapeIdentifier(table);
  let sweptAt = 0;
  return {
    async firstUse(jti, forgetAfter, nowSeconds) {
      const now = nowSeconds * 1000;
      if (now - sweptAt >= sweepEveryMs) {
        sweptAt = now;
        // The database's clock, one for every replica: a replica's own, running ahead, would forget a token early.
        await pool.query(`DELETE FROM ${name} WHERE forget_after < now()`);
      }
      const inserted = await pool.query(`INSERT INTO ${name} (jti, forget_after) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        jti,
        new Date(forgetAfter * 1000),
      ]);
      return inserted.rowCount === 1;
    },
  };
}
