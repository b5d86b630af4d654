// What the benchmark's parent (the load generator) and its server children say to each other over IPC.
// Types, the one check a received message gets, and the request body, so both sides agree on them without
// importing each other.

import { randomUUID, sign, verify, type KeyObject } from "node:crypto";

import { targetClaims, type TokenTarget } from "@fishtag/service-auth/tokens";

import type { CreateOrderInput } from "../src/orders/orders.schemas.js";

/**
 * floor: node:http + better-sqlite3 storing each order as one INSERT, no auth or checks: what this machine
 *        can do at all, the reference issue 12 measures against.
 * raw:   the same storage work as the app (order, lines, event, counts, idempotency key) with no framework.
 * app:   the warehouse app as production runs it.
 * quiet: the same app logging nothing (LOG_LEVEL=silent), with --quiet: what its log lines cost.
 */
export const SERVER_KINDS = ["floor", "raw", "app", "quiet", "traced"] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** Every message either way is an object with a `type`. */
export type Message = { type: string };

export function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && "type" in value && typeof value.type === "string";
}

/** What a bench parent says to each of its server children. */
export type ParentMessage = { type: "begin" } | { type: "end" } | { type: "close" };

/** What every server child sends, whichever bench forked it: "ready" once, then "begun" and "ended" per round. */
export type RoundMessage =
  /** rssKb: the server's resident memory once it listens, before any request (what its code and start-up hold). */
  | { type: "ready"; port: number; rssKb: number }
  | { type: "begun" }
  /** peakRssKb: the most resident memory the process had during the round, in KiB. */
  | { type: "ended"; cpuMicros: number; wallMicros: number; requests: number; peakRssKb: number };

// ---- create-order bench (bench/create-order.ts and its child bench/server.ts) ---------------------------

export type ChildMessage =
  | RoundMessage
  | {
      type: "closed";
      orders: number;
      distinctStoreOrderIds: number;
      logLines: number | null;
      /** Every request over the process's life, warm-up included: what a whole-process CPU profile covers. */
      handled: number;
    };

// A realistic order from the Store: two lines, an address with a second line, about 500 bytes of JSON.
// Only storeOrderId varies per request; it goes first so the rest can be serialised once.
const ORDER_TEMPLATE: Omit<CreateOrderInput, "storeOrderId"> = {
  reference: "PO-2025-118734",
  customer: { name: "Ada Lovelace", email: "ada.lovelace@analytical-engines.example.com" },
  shippingAddress: {
    line1: "12 Analytical Row",
    line2: "Flat 3, Babbage House, second floor",
    city: "London",
    postalCode: "N1 9GU",
    country: "GB",
  },
  lines: [
    { sku: "MUG-ENAMEL-350-BLU", name: "Enamel camping mug, 350 ml, speckled blue", quantity: 2, unitPriceCents: 1250 },
    { sku: "TEE-FISH-ORG-M", name: "Organic cotton tee with the fishtag print, size M", quantity: 1, unitPriceCents: 2400 },
  ],
  // 2 × 12.50 + 24.00, free shipping over £50 would not apply: £4.95; 20% VAT included in £53.95.
  subtotalCents: 4900,
  shippingCents: 495,
  vatCents: 899,
  totalCents: 5395,
  storeOrderNumber: "ST-118734",
};
const TEMPLATE_REST = JSON.stringify(ORDER_TEMPLATE).slice(1);

/** The JSON body for one order; building it is a string concatenation, so the load generator stays cheap. */
export function orderBody(storeOrderId: string): string {
  return `{"storeOrderId":${JSON.stringify(storeOrderId)},${TEMPLATE_REST}`;
}

// ---- list-orders bench (bench/list-orders.ts and its child bench/list-server.ts) ------------------------
// Its "closed" carries what a read-only load can check instead of stored-order counts.

export type ListServerMessage = RoundMessage | { type: "closed"; handled: number; logLines: number };

/** The staff account the list bench signs in with; made in the database by list-server.ts. */
export const LIST_BENCH_STAFF = { email: "bench@warehouse.test", name: "Bench Staff", password: "list orders bench only" };

// ---- service tokens ------------------------------------------------------------------------------------

const HEADER_PART = Buffer.from(JSON.stringify({ alg: "EdDSA", typ: "JWT" })).toString("base64url");

/**
 * `Bearer <token>` with the claims the Store's client signs (iss, aud, iat, exp = iat + 60 s, jti, and the
 * call it is for: htm and htu), fresh per request as the Store does. Signed with node:crypto directly because autocannon's setupRequest is
 * synchronous; jose does the same Ed25519 signature underneath, so the cost per request is the Store's.
 */
export function benchAuthorization(signingKey: KeyObject, target: TokenTarget): string {
  const iat = Math.floor(Date.now() / 1000);
  const claims = { iss: "store-web", aud: "warehouse-api", iat, exp: iat + 60, jti: randomUUID(), ...targetClaims(target) };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const input = `${HEADER_PART}.${payload}`;
  return `Bearer ${input}.${sign(null, Buffer.from(input), signingKey).toString("base64url")}`;
}

/**
 * One order as the Store sends it to `url` (its WAREHOUSE_URL: a replica or the load balancer in front of
 * them): a fresh signed token, the correlation ID, and the store order id as Idempotency-Key.
 */
export function storeOrderRequest(
  signingKey: KeyObject,
  url: string,
  storeOrderId: string,
  correlationId: string,
): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      "content-type": "application/json",
      authorization: benchAuthorization(signingKey, { method: "POST", url }),
      "x-correlation-id": correlationId,
      "idempotency-key": storeOrderId,
    },
    body: orderBody(storeOrderId),
  };
}

/**
 * The raw server's floor for the same check: the Ed25519 signature, the audience and the expiry, with no
 * library around it. The app's check (jose, in the requireStore middleware) does more, which is its cost.
 */
export function rawTokenValid(authorization: string | undefined, publicKey: KeyObject): boolean {
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined;
  const [header, payload, signature] = token?.split(".") ?? [];
  if (!header || !payload || !signature) return false;
  if (!verify(null, Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"))) return false;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { aud?: unknown; exp?: unknown };
  return claims.aud === "warehouse-api" && typeof claims.exp === "number" && claims.exp > Date.now() / 1000;
}
