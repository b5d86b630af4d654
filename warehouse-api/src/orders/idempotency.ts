import { createHash } from "node:crypto";

import { z } from "@hono/zod-openapi";
import { eq, lt, sql } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";

import type { Logger } from "@fishtag/tracing/logger";
import { markRefused } from "@fishtag/tracing/spans";

import type { AppEnv } from "../app-env.js";
import type { Database, Db } from "../db/client.js";
import { idempotencyKeys } from "../db/schema.js";
import { idempotencyKeys as pgIdempotencyKeys } from "../db/schema.postgres.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";

// Exactly-once order creation across the Store → Warehouse call, after the IETF httpapi
// Idempotency-Key header draft: https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/
// The Store sends its own order id as the key on every attempt, so a retry after a timeout or a lost
// answer gets the first answer again instead of creating a second order.

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
/** Set on an answer that is the stored answer to an earlier request with the same key. */
export const REPLAYED_HEADER = "idempotent-replayed";

/**
 * How long a key is remembered. Far longer than any Store retry (a checkout gives up within
 * WAREHOUSE_TIMEOUT_MS, seconds), so a late duplicate is still recognised; short enough that the table
 * stays small. Swept hourly by src/index.ts, so a key lives between 24 and 25 hours.
 */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

// The same conservative charset as correlation IDs: safe in a header, a log line and a database key.
const KEY_PATTERN = new RegExp(`^[A-Za-z0-9._:-]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`);

/**
 * The draft makes the value a Structured Field string (`"8e03978e-..."`, RFC 8941); the bare token
 * (`8e03978e-...`) many clients send is accepted too. Returns the key without quotes, or undefined.
 */
export function parseIdempotencyKey(value: string): string | undefined {
  const key = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return KEY_PATTERN.test(key) ? key : undefined;
}

export const IdempotencyKeyHeadersSchema = z.object({
  [IDEMPOTENCY_KEY_HEADER]: z
    .string()
    .refine((value) => parseIdempotencyKey(value) !== undefined, "must be 1–255 of [A-Za-z0-9._:-], optionally quoted")
    .openapi({
      description:
        "Required. Makes the creation safe to retry: a repeat with the same key and body gets the first answer " +
        "again (with `Idempotent-Replayed: true`) and creates nothing; the same key with another body is 422, " +
        "and a repeat while the first is still being processed is 409. Keys are remembered for 24 hours. " +
        "The Store sends its order id. A Structured Field string (quoted) as in the IETF draft, or bare.",
      example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
    }),
});

/** What a request is, for "same key, same request?": the validated body as JSON, hashed. */
export function fingerprint(body: unknown): string {
  // The validated body: its keys come out in the schema's order and unknown fields are dropped, so two
  // encodings of the same order (spacing, key order) match.
  return createHash("sha256").update(JSON.stringify(body)).digest("base64url");
}

/**
 * Requires a valid Idempotency-Key and holds it while the request is processed: a second request with the
 * same key before the first has answered gets 409 rather than racing it. The hold is taken before the body
 * is read (the first await), so the order's creation can never run twice for a key in this process.
 * In memory, per process: a crash drops the holds with the requests they guarded. Across replicas (on
 * Postgres) two requests with one key can both get past their gates; the database then decides, and the
 * key table's primary key refuses the second, which answers as a repeat (orders.repo.postgres.ts).
 */
export function idempotencyGate(logger: Logger) {
  const inFlight = new Set<string>();
  return createMiddleware<AppEnv>(async (c, next) => {
    const value = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (value === undefined) {
      markRefused("idempotency_key_missing");
      return jsonError(c, HTTP.BAD_REQUEST, "idempotency_key_missing", "Send an Idempotency-Key header (the Store's order id).");
    }
    const key = parseIdempotencyKey(value);
    if (key === undefined) {
      // Its length only: the raw value is untrusted and must not reach a log line.
      logger.warn({ invalidLength: value.length }, "invalid idempotency key refused");
      markRefused("idempotency_key_invalid");
      return jsonError(c, HTTP.BAD_REQUEST, "idempotency_key_invalid", "The Idempotency-Key must be 1–255 of [A-Za-z0-9._:-].");
    }
    if (inFlight.has(key)) {
      logger.info({ idempotencyKey: key }, "order creation refused: the same key is in flight");
      markRefused("idempotency_key_in_flight");
      return jsonError(
        c,
        HTTP.CONFLICT,
        "idempotency_key_in_flight",
        "A request with this Idempotency-Key is still being processed; retry later.",
      );
    }
    inFlight.add(key);
    c.set("idempotencyKey", key);
    try {
      await next();
    } finally {
      inFlight.delete(key);
    }
    return undefined;
  });
}

/** The Idempotency-Key held for this request, on a route behind idempotencyGate. */
export function idempotencyKeyOf(c: Context<AppEnv>): string {
  const key = c.get("idempotencyKey");
  if (key === undefined) throw new Error("an idempotent route is missing its idempotencyGate middleware");
  return key;
}

const p = sql.placeholder;

export type IdempotencyKeys = ReturnType<typeof createIdempotencyKeys>;

export function createIdempotencyKeys(db: Db) {
  const find = db
    .select({
      fingerprint: idempotencyKeys.fingerprint,
      orderId: idempotencyKeys.orderId,
      status: idempotencyKeys.status,
      body: idempotencyKeys.body,
    })
    .from(idempotencyKeys)
    .where(eq(idempotencyKeys.key, p("key")))
    .prepare();
  const insert = db
    .insert(idempotencyKeys)
    .values({
      key: p("key"),
      fingerprint: p("fingerprint"),
      orderId: p("orderId"),
      status: p("status"),
      body: p("body"),
      createdAt: p("createdAt"),
    })
    .prepare();

  return {
    find: (key: string) => find.get({ key }),
    /** Call inside the transaction that creates the order. */
    insert: (row: typeof idempotencyKeys.$inferInsert) => insert.run(row),
  };
}

/** Forgets keys older than the TTL; returns how many. */
export async function deleteExpiredIdempotencyKeys(database: Database, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS);
  if (database.dialect === "postgres") {
    const { rowCount } = await database.db.delete(pgIdempotencyKeys).where(lt(pgIdempotencyKeys.createdAt, before));
    return rowCount ?? 0;
  }
  const { changes } = await database.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before));
  return changes;
}
