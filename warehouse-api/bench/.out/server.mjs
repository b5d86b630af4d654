var __defProp = Object.defineProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// bench/server.ts
import { createHash as createHash3 } from "node:crypto";
import { createServer } from "node:http";
import { join as join2 } from "node:path";
import { serve } from "@hono/node-server";
import { v7 as uuidv74 } from "uuid";
import { parsePublicKey } from "@fishtag/service-auth/keys";
import { createLogger } from "@fishtag/tracing/logger";

// src/app.ts
import { httpInstrumentationMiddleware } from "@hono/otel";
import { OpenAPIHono as OpenAPIHono5 } from "@hono/zod-openapi";
import { HTTPException as HTTPException2 } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";

// src/dashboard.routes.ts
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
var cacheFor = (value) => createMiddleware(async (c, next) => {
  await next();
  if (c.res.ok) c.res.headers.set("Cache-Control", value);
});
function dashboardRoutes(dir2) {
  const dashboard = new OpenAPIHono();
  dashboard.use("/assets/*", cacheFor("public, max-age=31536000, immutable"), serveStatic({ root: dir2 }));
  dashboard.get("/", cacheFor("no-cache"), serveStatic({ path: join(dir2, "index.html") }));
  return dashboard;
}

// src/health/health.routes.ts
import { createRoute, OpenAPIHono as OpenAPIHono2, z as z2 } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";

// src/lib/errors.ts
import { z } from "@hono/zod-openapi";
var ErrorSchema = z.object({
  error: z.string().openapi({ example: "validation_failed" }),
  message: z.string(),
  correlationId: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional()
}).openapi("Error");
function errorBody(c, error, message, issues) {
  return { error, message, correlationId: c.get("correlationId"), ...issues ? { issues } : {} };
}
function jsonError(c, status, error, message, issues) {
  return c.json(errorBody(c, error, message, issues), status);
}
function toIssues(error) {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

// src/lib/http-status.ts
var HTTP = {
  OK: 200,
  CREATED: 201,
  NO_CONTENT: 204,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_ENTITY: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503
};

// src/lib/openapi.ts
var jsonContent = (schema, description) => ({
  content: { "application/json": { schema } },
  description
});
var jsonContentRequired = (schema, description) => ({
  ...jsonContent(schema, description),
  required: true
});
var errorContent = (description) => jsonContent(ErrorSchema, description);
function gate(router, route, ...middleware) {
  router.on(route.method, route.getRoutingPath(), ...middleware);
}

// src/health/health.routes.ts
var healthz = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["Health"],
  summary: "Liveness and readiness: 200 when the database answers",
  responses: {
    [HTTP.OK]: jsonContent(z2.object({ status: z2.literal("ok") }), "Up"),
    [HTTP.SERVICE_UNAVAILABLE]: errorContent("Down")
  }
});
function healthRoutes({ db, logger }) {
  return new OpenAPIHono2().openapi(healthz, (c) => {
    try {
      db.get(sql`select 1`);
      return c.json({ status: "ok" }, HTTP.OK);
    } catch (error) {
      logger.error({ err: error }, "health check: database did not answer");
      return jsonError(c, HTTP.SERVICE_UNAVAILABLE, "unavailable", "The database did not answer.");
    }
  });
}

// src/middleware/body-limit.ts
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { createMiddleware as createMiddleware2 } from "hono/factory";
import { HTTPException } from "hono/http-exception";
function bodyLimit(maxBytes) {
  const tooLarge = () => {
    throw new HTTPException(HTTP.PAYLOAD_TOO_LARGE, { message: `The body is over ${maxBytes} bytes.` });
  };
  const streaming = honoBodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return createMiddleware2(async (c, next) => {
    const length = c.req.header("content-length");
    if (length === void 0 || c.req.header("transfer-encoding") !== void 0) return streaming(c, next);
    if (Number(length) > maxBytes) tooLarge();
    await next();
  });
}

// src/middleware/correlation.ts
import { createMiddleware as createMiddleware3 } from "hono/factory";
import { CORRELATION_HEADER, resolveCorrelationId } from "@fishtag/tracing/correlation";
import { runWithCorrelationId } from "@fishtag/tracing/logger";
function correlation(logger) {
  return createMiddleware3(async (c, next) => {
    const started = performance.now();
    const { id, replaced } = resolveCorrelationId(c.req.header(CORRELATION_HEADER));
    c.set("correlationId", id);
    c.header(CORRELATION_HEADER, id);
    await runWithCorrelationId(id, async () => {
      if (replaced) logger.warn({ invalidLength: replaced.length }, "invalid inbound correlation ID replaced");
      await next();
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      const path = new URL(c.req.url).pathname;
      const level = path === "/healthz" ? "debug" : "info";
      logger[level]({ method: c.req.method, path, status: c.res.status, durationMs }, "request completed");
    });
  });
}

// src/middleware/require-store.ts
import { createMiddleware as createMiddleware4 } from "hono/factory";
import { createReplayGuard, verifyServiceAuthorization } from "@fishtag/service-auth/tokens";
import { inSpan, markRefused } from "@fishtag/tracing/spans";
var STORE_TOKEN_SCHEME = "storeToken";
function requireStore(storePublicKey2, logger) {
  const replay = createReplayGuard();
  return createMiddleware4(async (c, next) => {
    const result = await inSpan("verify service token", {}, async () => {
      const verification = await verifyServiceAuthorization(c.req.header("authorization"), {
        key: storePublicKey2,
        issuer: "store-web",
        audience: "warehouse-api",
        request: { method: c.req.method, url: c.req.url },
        replay
      });
      if (!verification.ok) markRefused(verification.reason);
      return verification;
    });
    if (!result.ok) {
      logger.warn({ reason: result.reason, path: new URL(c.req.url).pathname }, "service call refused: not authenticated");
      return jsonError(
        c,
        HTTP.UNAUTHORIZED,
        "unauthenticated",
        "A valid service token from the store is required (Authorization: Bearer <jwt>)."
      );
    }
    await next();
  });
}

// src/orders/orders.routes.ts
import { OpenAPIHono as OpenAPIHono3 } from "@hono/zod-openapi";

// src/orders/idempotency.ts
import { createHash } from "node:crypto";
import { z as z3 } from "@hono/zod-openapi";
import { eq, lt, sql as sql2 } from "drizzle-orm";
import { createMiddleware as createMiddleware5 } from "hono/factory";
import { markRefused as markRefused2 } from "@fishtag/tracing/spans";

// src/db/schema.ts
var schema_exports = {};
__export(schema_exports, {
  OUTBOX_STATES: () => OUTBOX_STATES,
  idempotencyKeys: () => idempotencyKeys,
  orderEvents: () => orderEvents,
  orderLines: () => orderLines,
  orderStatusCounts: () => orderStatusCounts,
  orders: () => orders,
  signInThrottle: () => signInThrottle,
  staffSessions: () => staffSessions,
  staffUsers: () => staffUsers,
  statusOutbox: () => statusOutbox
});
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// src/orders/lifecycle.ts
var ORDER_STATUSES = ["received", "picking", "packed", "shipped", "cancelled", "rejected"];
var ORDER_EVENT_TYPES = ["created", "rejected", "status_changed"];
var NEXT_STATUSES = {
  received: ["picking", "cancelled"],
  picking: ["packed", "cancelled"],
  packed: ["shipped", "cancelled"],
  shipped: [],
  cancelled: [],
  rejected: []
};
function canTransition(from, to) {
  return NEXT_STATUSES[from].includes(to);
}
var REASON_REQUIRED = /* @__PURE__ */ new Set(["cancelled"]);

// src/db/schema.ts
var orders = sqliteTable(
  "orders",
  {
    // UUIDv7: time-ordered, so "newest first" is simply `ORDER BY id DESC` and the id is the keyset cursor.
    id: text().primaryKey(),
    storeOrderId: text().notNull(),
    reference: text().notNull(),
    status: text({ enum: ORDER_STATUSES }).notNull(),
    customerName: text().notNull(),
    customerEmail: text().notNull(),
    shippingLine1: text().notNull(),
    shippingLine2: text(),
    shippingCity: text().notNull(),
    shippingPostalCode: text().notNull(),
    shippingCountry: text().notNull(),
    /** The store's own number for the order (ST-000123): the one its customer quotes. Null on orders from before the store sent it. */
    storeOrderNumber: text(),
    // The money as the store charged it, VAT included in every figure: the lines' subtotal, shipping,
    // the VAT within the total, and the total (subtotal + shipping). The store's pricing rule, not ours.
    subtotalCents: integer().notNull().default(0),
    shippingCents: integer().notNull().default(0),
    vatCents: integer().notNull().default(0),
    totalCents: integer().notNull(),
    // The ID of the request that created the order: the fish tag, kept with the data it explains.
    correlationId: text().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull()
  },
  // The list is always newest first (id DESC): each index ends in id so a filtered page is an index range.
  (t) => [
    index("orders_status_id_idx").on(t.status, t.id),
    // One order per store order, whatever Idempotency-Key it came with (orders.repo.ts refuses a second).
    uniqueIndex("orders_store_order_id_unique").on(t.storeOrderId),
    index("orders_reference_idx").on(t.reference, t.id),
    index("orders_customer_email_idx").on(t.customerEmail, t.id),
    index("orders_correlation_id_idx").on(t.correlationId, t.id),
    index("orders_store_order_number_idx").on(t.storeOrderNumber, t.id)
  ]
);
var orderLines = sqliteTable(
  "order_lines",
  {
    orderId: text().notNull().references(() => orders.id, { onDelete: "cascade" }),
    lineNo: integer().notNull(),
    sku: text().notNull(),
    name: text().notNull(),
    quantity: integer().notNull(),
    unitPriceCents: integer().notNull()
  },
  (t) => [primaryKey({ columns: [t.orderId, t.lineNo] })]
);
var orderEvents = sqliteTable(
  "order_events",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    orderId: text().notNull().references(() => orders.id, { onDelete: "cascade" }),
    type: text({ enum: ORDER_EVENT_TYPES }).notNull(),
    fromStatus: text({ enum: ORDER_STATUSES }),
    toStatus: text({ enum: ORDER_STATUSES }).notNull(),
    /** "store" for orders the Store placed, a staff member's email for their actions. */
    actor: text().notNull(),
    reason: text(),
    correlationId: text().notNull(),
    at: integer({ mode: "timestamp_ms" }).notNull()
  },
  (t) => [index("order_events_order_id_idx").on(t.orderId, t.id)]
);
var OUTBOX_STATES = ["pending", "delivered", "parked"];
var statusOutbox = sqliteTable(
  "status_outbox",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** The eventId the Store receives: it dedups on it and ignores an event older than one it has seen. */
    eventId: integer().notNull().unique("status_outbox_event_id_unique").references(() => orderEvents.id, { onDelete: "cascade" }),
    orderId: text().notNull().references(() => orders.id, { onDelete: "cascade" }),
    storeOrderId: text().notNull(),
    status: text({ enum: ORDER_STATUSES }).notNull(),
    /** Why, when a status needs one (a cancellation): the customer is told it. */
    reason: text(),
    /** The staff action's correlation ID: sent as X-Correlation-Id and on every log line of the delivery. */
    correlationId: text().notNull(),
    at: integer({ mode: "timestamp_ms" }).notNull(),
    state: text({ enum: OUTBOX_STATES }).notNull().default("pending"),
    /** Failed attempts so far; with next_attempt_at, the backoff survives a restart. */
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer({ mode: "timestamp_ms" }).notNull(),
    /** The last failure: an HTTP status with a bounded excerpt of the answer, or a network error code. */
    lastError: text(),
    deliveredAt: integer({ mode: "timestamp_ms" })
  },
  (t) => [
    // Due pending rows, oldest first: a range on (state, next_attempt_at), then a sort of the due few.
    index("status_outbox_state_next_attempt_idx").on(t.state, t.nextAttemptAt),
    // "Does this order have an earlier pending row?": one index probe per candidate.
    index("status_outbox_order_state_id_idx").on(t.orderId, t.state, t.id)
  ]
);
var orderStatusCounts = sqliteTable("order_status_counts", {
  status: text({ enum: ORDER_STATUSES }).primaryKey(),
  count: integer().notNull()
});
var staffUsers = sqliteTable("staff_users", {
  id: text().primaryKey(),
  /** Stored lower-case: sign-in ignores the case of the email. */
  email: text().notNull().unique(),
  name: text().notNull(),
  /** scrypt, self-describing: `scrypt$N$r$p$salt$hash` (see staff/password.ts). Never logged. */
  passwordHash: text().notNull(),
  createdAt: integer({ mode: "timestamp_ms" }).notNull()
});
var staffSessions = sqliteTable(
  "staff_sessions",
  {
    tokenHash: text().primaryKey(),
    userId: text().notNull().references(() => staffUsers.id, { onDelete: "cascade" }),
    /** Sent back by the dashboard in X-CSRF-Token on every state-changing request. */
    csrfToken: text().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    expiresAt: integer({ mode: "timestamp_ms" }).notNull()
  },
  (t) => [index("staff_sessions_expires_at_idx").on(t.expiresAt)]
);
var signInThrottle = sqliteTable(
  "sign_in_throttle",
  {
    key: text().primaryKey(),
    points: integer().notNull().default(0),
    expire: integer()
  },
  (t) => [index("sign_in_throttle_expire_idx").on(t.expire)]
);
var idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    key: text().primaryKey(),
    /** SHA-256 of the validated request body as canonical JSON: the same key with another body is refused. */
    fingerprint: text().notNull(),
    orderId: text().notNull().references(() => orders.id, { onDelete: "cascade" }),
    /** The answer as first sent: 201 with the order, or 422 with the rejection. */
    status: integer().notNull(),
    body: text().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull()
  },
  (t) => [index("idempotency_keys_created_at_idx").on(t.createdAt)]
);

// src/orders/idempotency.ts
var IDEMPOTENCY_KEY_HEADER = "idempotency-key";
var REPLAYED_HEADER = "idempotent-replayed";
var IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1e3;
var IDEMPOTENCY_KEY_MAX_LENGTH = 255;
var KEY_PATTERN = new RegExp(`^[A-Za-z0-9._:-]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`);
function parseIdempotencyKey(value) {
  const key = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return KEY_PATTERN.test(key) ? key : void 0;
}
var IdempotencyKeyHeadersSchema = z3.object({
  [IDEMPOTENCY_KEY_HEADER]: z3.string().refine((value) => parseIdempotencyKey(value) !== void 0, "must be 1\u2013255 of [A-Za-z0-9._:-], optionally quoted").openapi({
    description: "Required. Makes the creation safe to retry: a repeat with the same key and body gets the first answer again (with `Idempotent-Replayed: true`) and creates nothing; the same key with another body is 422, and a repeat while the first is still being processed is 409. Keys are remembered for 24 hours. The Store sends its order id. A Structured Field string (quoted) as in the IETF draft, or bare.",
    example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"'
  })
});
function fingerprint(body) {
  return createHash("sha256").update(JSON.stringify(body)).digest("base64url");
}
function idempotencyGate(logger) {
  const inFlight = /* @__PURE__ */ new Set();
  return createMiddleware5(async (c, next) => {
    const value = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (value === void 0) {
      markRefused2("idempotency_key_missing");
      return jsonError(c, HTTP.BAD_REQUEST, "idempotency_key_missing", "Send an Idempotency-Key header (the Store's order id).");
    }
    const key = parseIdempotencyKey(value);
    if (key === void 0) {
      logger.warn({ invalidLength: value.length }, "invalid idempotency key refused");
      markRefused2("idempotency_key_invalid");
      return jsonError(c, HTTP.BAD_REQUEST, "idempotency_key_invalid", "The Idempotency-Key must be 1\u2013255 of [A-Za-z0-9._:-].");
    }
    if (inFlight.has(key)) {
      logger.info({ idempotencyKey: key }, "order creation refused: the same key is in flight");
      markRefused2("idempotency_key_in_flight");
      return jsonError(
        c,
        HTTP.CONFLICT,
        "idempotency_key_in_flight",
        "A request with this Idempotency-Key is still being processed; retry later."
      );
    }
    inFlight.add(key);
    c.set("idempotencyKey", key);
    try {
      await next();
    } finally {
      inFlight.delete(key);
    }
    return void 0;
  });
}
function idempotencyKeyOf(c) {
  const key = c.get("idempotencyKey");
  if (key === void 0) throw new Error("an idempotent route is missing its idempotencyGate middleware");
  return key;
}
var p = sql2.placeholder;
function createIdempotencyKeys(db) {
  const find = db.select({
    fingerprint: idempotencyKeys.fingerprint,
    orderId: idempotencyKeys.orderId,
    status: idempotencyKeys.status,
    body: idempotencyKeys.body
  }).from(idempotencyKeys).where(eq(idempotencyKeys.key, p("key"))).prepare();
  const insert = db.insert(idempotencyKeys).values({
    key: p("key"),
    fingerprint: p("fingerprint"),
    orderId: p("orderId"),
    status: p("status"),
    body: p("body"),
    createdAt: p("createdAt")
  }).prepare();
  return {
    find: (key) => find.get({ key }),
    /** Call inside the transaction that creates the order. */
    insert: (row) => insert.run(row),
    /** Forgets keys older than the TTL; returns how many. */
    deleteExpired(now = /* @__PURE__ */ new Date()) {
      return db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS))).run().changes;
    }
  };
}

// src/staff/require-staff.ts
import { timingSafeEqual } from "node:crypto";
import { getCookie } from "hono/cookie";
import { createMiddleware as createMiddleware6 } from "hono/factory";
var SESSION_COOKIE = "fishtag_session";
var STAFF_SESSION_SCHEME = "staffSession";
var CSRF_HEADER = "x-csrf-token";
var SAFE_METHODS = /* @__PURE__ */ new Set(["GET", "HEAD", "OPTIONS"]);
function sameToken(sent, expected) {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
function requireStaff(staff) {
  return createMiddleware6(async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? staff.findSession(token) : void 0;
    if (!session) return jsonError(c, HTTP.UNAUTHORIZED, "unauthenticated", "Sign in to continue.");
    if (!SAFE_METHODS.has(c.req.method) && !sameToken(c.req.header(CSRF_HEADER) ?? "", session.csrfToken)) {
      return jsonError(c, HTTP.FORBIDDEN, "csrf_failed", "This request did not carry the session's CSRF token.");
    }
    c.set("session", session);
    await next();
  });
}
function sessionOf(c) {
  const session = c.get("session");
  if (!session) throw new Error("a staff route is missing its requireStaff middleware");
  return session;
}

// src/orders/orders.repo.ts
import { and as and2, asc as asc2, desc, eq as eq3, inArray, lt as lt3, sql as sql4 } from "drizzle-orm";
import { unionAll } from "drizzle-orm/sqlite-core";
import { v7 as uuidv7 } from "uuid";
import { createGroupCommit, inTransactionSpan } from "@fishtag/service-kit/group-commit";

// src/status-events/status-outbox.repo.ts
import { and, asc, eq as eq2, lt as lt2, lte, notExists, sql as sql3 } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
var p2 = sql3.placeholder;
function createStatusOutbox(db) {
  const insert = db.insert(statusOutbox).values({
    eventId: p2("eventId"),
    orderId: p2("orderId"),
    storeOrderId: p2("storeOrderId"),
    status: p2("status"),
    reason: p2("reason"),
    correlationId: p2("correlationId"),
    at: p2("at"),
    nextAttemptAt: p2("at")
  }).prepare();
  const earlier = alias(statusOutbox, "earlier");
  const dueHeads = db.select().from(statusOutbox).where(
    and(
      eq2(statusOutbox.state, "pending"),
      lte(statusOutbox.nextAttemptAt, sql3`${p2("now")}`),
      notExists(
        db.select({ one: sql3`1` }).from(earlier).where(and(eq2(earlier.orderId, statusOutbox.orderId), eq2(earlier.state, "pending"), lt2(earlier.id, statusOutbox.id)))
      )
    )
  ).orderBy(asc(statusOutbox.id)).limit(p2("limit")).prepare();
  const markDelivered = db.update(statusOutbox).set({ state: "delivered", attempts: sql3`${statusOutbox.attempts} + 1`, deliveredAt: sql3`${p2("at")}` }).where(eq2(statusOutbox.id, p2("id"))).prepare();
  const reschedule = db.update(statusOutbox).set({ attempts: sql3`${statusOutbox.attempts} + 1`, nextAttemptAt: sql3`${p2("nextAttemptAt")}`, lastError: sql3`${p2("lastError")}` }).where(eq2(statusOutbox.id, p2("id"))).prepare();
  const park = db.update(statusOutbox).set({ state: "parked", attempts: sql3`${statusOutbox.attempts} + 1`, lastError: sql3`${p2("lastError")}` }).where(eq2(statusOutbox.id, p2("id"))).prepare();
  return {
    /** Call inside the transaction that made the change: the row commits with it or not at all. */
    enqueue(entry) {
      insert.run(entry);
    },
    /** Up to `limit` rows due at `now` (epoch ms), oldest first, at most one per order (see above). */
    due(now, limit) {
      return dueHeads.all({ now, limit });
    },
    delivered(id, at) {
      markDelivered.run({ id, at });
    },
    retryAt(id, nextAttemptAt, lastError) {
      reschedule.run({ id, nextAttemptAt, lastError });
    },
    park(id, lastError) {
      park.run({ id, lastError });
    },
    /** Rows not delivered yet, and rows parked for someone to look at. */
    backlog() {
      const counts = { pending: 0, parked: 0 };
      const rows = db.select({ state: statusOutbox.state, count: sql3`count(*)` }).from(statusOutbox).where(sql3`${statusOutbox.state} in ('pending', 'parked')`).groupBy(statusOutbox.state).all();
      for (const { state, count } of rows) if (state !== "delivered") counts[state] = count;
      return counts;
    }
  };
}

// src/orders/orders.schemas.ts
import { z as z4 } from "@hono/zod-openapi";
import { createInsertSchema, createSelectSchema } from "drizzle-zod";

// src/lib/iso-countries.ts
var CODES = [
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ",
  "BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR",
  "CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR",
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU",
  "ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ",
  "LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ",
  "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF",
  "PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI",
  "SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR",
  "TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
].join(" ");
var ISO_COUNTRY_CODES = new Set(CODES.split(" "));

// src/orders/orders.schemas.ts
var text2 = (max) => z4.string().min(1).max(max);
var cents = z4.int().min(0).max(1e8);
var orderFields = createInsertSchema(orders, {
  storeOrderId: text2(64),
  reference: text2(64),
  customerName: text2(200),
  // Stored lower-case so that staff find an order by email however the customer typed it.
  customerEmail: z4.email().max(254).toLowerCase(),
  shippingLine1: text2(200),
  shippingLine2: z4.string().max(200),
  shippingCity: text2(100),
  shippingPostalCode: text2(20),
  shippingCountry: z4.string().length(2).refine((code) => ISO_COUNTRY_CODES.has(code), "must be an ISO 3166-1 alpha-2 country code, upper case")
}).shape;
var lineFields = createInsertSchema(orderLines, {
  sku: text2(64),
  name: text2(200),
  quantity: z4.int().min(1).max(999),
  unitPriceCents: z4.int().min(0).max(1e8)
}).shape;
var OrderLineSchema = z4.object({
  sku: lineFields.sku,
  name: lineFields.name,
  quantity: lineFields.quantity,
  unitPriceCents: lineFields.unitPriceCents
}).openapi("OrderLine");
var CustomerSchema = z4.object({ name: orderFields.customerName, email: orderFields.customerEmail });
var ShippingAddressSchema = z4.object({
  line1: orderFields.shippingLine1,
  line2: orderFields.shippingLine2.optional(),
  city: orderFields.shippingCity,
  postalCode: orderFields.shippingPostalCode,
  country: orderFields.shippingCountry
});
var MoneyFields = {
  subtotalCents: cents.openapi({ description: "The lines' total: \u03A3 quantity \xD7 unitPriceCents." }),
  shippingCents: cents,
  vatCents: cents.openapi({ description: "The VAT included in totalCents." }),
  totalCents: cents.openapi({ description: "subtotalCents + shippingCents." })
};
var CreateOrderSchema = z4.object({
  storeOrderId: orderFields.storeOrderId,
  storeOrderNumber: text2(32).openapi({
    description: "The store's own number for the order, the one its customer quotes.",
    example: "ST-000123"
  }),
  reference: orderFields.reference.openapi({
    description: "The customer's PO number. One starting with the reject prefix (default F) is rejected.",
    example: "PO-1001"
  }),
  customer: CustomerSchema,
  shippingAddress: ShippingAddressSchema,
  lines: z4.array(OrderLineSchema).min(1).max(50),
  ...MoneyFields
}).superRefine((order, ctx) => {
  const lines = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  if (order.subtotalCents !== lines) ctx.addIssue({ code: "custom", path: ["subtotalCents"], message: "must be the lines' total" });
  if (order.totalCents !== order.subtotalCents + order.shippingCents) {
    ctx.addIssue({ code: "custom", path: ["totalCents"], message: "must be subtotalCents + shippingCents" });
  }
  if (order.vatCents > order.totalCents) ctx.addIssue({ code: "custom", path: ["vatCents"], message: "must not exceed totalCents" });
}).openapi("CreateOrder");
var statusField = createSelectSchema(orders).shape.status;
var OrderSchema = z4.object({
  id: z4.uuid(),
  storeOrderId: z4.string(),
  storeOrderNumber: z4.string().nullable().openapi({ description: "The store's number for the order; null on orders from before it was sent." }),
  reference: z4.string(),
  status: statusField,
  customer: CustomerSchema,
  shippingAddress: ShippingAddressSchema,
  lines: z4.array(OrderLineSchema),
  subtotalCents: z4.int(),
  shippingCents: z4.int(),
  vatCents: z4.int(),
  totalCents: z4.int(),
  correlationId: z4.string().openapi({ description: "The correlation ID of the request that created the order." }),
  createdAt: z4.iso.datetime(),
  updatedAt: z4.iso.datetime()
}).openapi("Order");
var RejectedOrderSchema = z4.object({
  error: z4.literal("order_rejected"),
  message: z4.string(),
  correlationId: z4.string(),
  order: OrderSchema
}).openapi("RejectedOrder");
var CreateAnswerSchema = z4.discriminatedUnion("status", [
  z4.object({ status: z4.literal(HTTP.CREATED), body: OrderSchema }),
  z4.object({ status: z4.literal(HTTP.UNPROCESSABLE_ENTITY), body: RejectedOrderSchema })
]);
var OrderIdParamsSchema = z4.object({
  id: z4.uuid().openapi({ param: { name: "id", in: "path" } })
});
var ListOrdersQuerySchema = z4.object({
  status: z4.enum(ORDER_STATUSES).optional().openapi({ param: { name: "status", in: "query" } }),
  q: z4.string().trim().min(1).max(254).optional().openapi({
    param: { name: "q", in: "query" },
    description: "Finds orders by exact match on the order id, the store's order number (in any case), the correlation ID, the PO number (as stored), or the customer email (in any case). Not a prefix or substring search."
  }),
  limit: z4.coerce.number().int().min(1).max(100).default(20).openapi({ param: { name: "limit", in: "query" } }),
  cursor: z4.uuid().optional().openapi({ param: { name: "cursor", in: "query" }, description: "The `nextCursor` of the previous page." })
});
var StatusCountsSchema = z4.record(z4.enum(ORDER_STATUSES), z4.int()).openapi("StatusCounts");
var OrderPageSchema = z4.object({
  items: z4.array(OrderSchema),
  nextCursor: z4.string().nullable(),
  counts: StatusCountsSchema.openapi({ description: "Orders per status, over all orders (the dashboard's tabs)." })
}).openapi("OrderPage");
var eventFields = createSelectSchema(orderEvents).shape;
var OrderEventSchema = z4.object({
  id: z4.int(),
  orderId: eventFields.orderId,
  type: eventFields.type,
  fromStatus: eventFields.fromStatus,
  toStatus: eventFields.toStatus,
  actor: eventFields.actor,
  reason: eventFields.reason,
  correlationId: eventFields.correlationId,
  at: z4.iso.datetime()
}).openapi("OrderEvent");
var TransitionSchema = z4.object({
  to: z4.enum(ORDER_STATUSES),
  reason: z4.string().trim().min(1).max(500).optional()
}).refine((transition2) => !REASON_REQUIRED.has(transition2.to) || transition2.reason !== void 0, {
  path: ["reason"],
  message: "A reason is required to cancel an order."
}).openapi("Transition");
var OrderEventsSchema = z4.object({ items: z4.array(OrderEventSchema) }).openapi("OrderEvents");

// src/orders/orders.repo.ts
function toOrder(row, lines) {
  return {
    id: row.id,
    storeOrderId: row.storeOrderId,
    storeOrderNumber: row.storeOrderNumber,
    reference: row.reference,
    status: row.status,
    customer: { name: row.customerName, email: row.customerEmail },
    shippingAddress: {
      line1: row.shippingLine1,
      ...row.shippingLine2 === null ? {} : { line2: row.shippingLine2 },
      city: row.shippingCity,
      postalCode: row.shippingPostalCode,
      country: row.shippingCountry
    },
    lines: lines.map(({ sku, name, quantity, unitPriceCents }) => ({ sku, name, quantity, unitPriceCents })),
    subtotalCents: row.subtotalCents,
    shippingCents: row.shippingCents,
    vatCents: row.vatCents,
    totalCents: row.totalCents,
    correlationId: row.correlationId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString()
  };
}
function toEvent(row) {
  return { ...row, at: row.at.toISOString() };
}
var p3 = sql4.placeholder;
function createOrderWrites(db) {
  const insertOrder = db.insert(orders).values({
    id: p3("id"),
    storeOrderId: p3("storeOrderId"),
    storeOrderNumber: p3("storeOrderNumber"),
    reference: p3("reference"),
    status: p3("status"),
    customerName: p3("customerName"),
    customerEmail: p3("customerEmail"),
    shippingLine1: p3("shippingLine1"),
    shippingLine2: p3("shippingLine2"),
    shippingCity: p3("shippingCity"),
    shippingPostalCode: p3("shippingPostalCode"),
    shippingCountry: p3("shippingCountry"),
    subtotalCents: p3("subtotalCents"),
    shippingCents: p3("shippingCents"),
    vatCents: p3("vatCents"),
    totalCents: p3("totalCents"),
    correlationId: p3("correlationId"),
    createdAt: p3("createdAt"),
    updatedAt: p3("updatedAt")
  }).prepare();
  const insertLine = db.insert(orderLines).values({
    orderId: p3("orderId"),
    lineNo: p3("lineNo"),
    sku: p3("sku"),
    name: p3("name"),
    quantity: p3("quantity"),
    unitPriceCents: p3("unitPriceCents")
  }).prepare();
  const insertEvent = db.insert(orderEvents).values({
    orderId: p3("orderId"),
    type: p3("type"),
    fromStatus: p3("fromStatus"),
    toStatus: p3("toStatus"),
    actor: p3("actor"),
    reason: p3("reason"),
    correlationId: p3("correlationId"),
    at: p3("at")
  }).prepare();
  const countIn = db.insert(orderStatusCounts).values({ status: p3("status"), count: 1 }).onConflictDoUpdate({ target: orderStatusCounts.status, set: { count: sql4`${orderStatusCounts.count} + 1` } }).prepare();
  const countOut = db.update(orderStatusCounts).set({ count: sql4`${orderStatusCounts.count} - 1` }).where(eq3(orderStatusCounts.status, p3("status"))).prepare();
  const updateStatus = db.update(orders).set({ status: sql4`${p3("to")}`, updatedAt: sql4`${p3("updatedAt")}` }).where(and2(eq3(orders.id, p3("id")), eq3(orders.status, p3("from")))).prepare();
  return {
    /** A new order: its row, its lines, its first event and its status count. */
    insert(row, lines, actor) {
      insertOrder.run(row);
      for (const line of lines) insertLine.run(line);
      insertEvent.run({
        orderId: row.id,
        type: row.status === "rejected" ? "rejected" : "created",
        fromStatus: null,
        toStatus: row.status,
        actor,
        reason: null,
        correlationId: row.correlationId,
        at: row.createdAt
      });
      countIn.run({ status: row.status });
    },
    /**
     * Moves an order from `from`, the status its caller read, writing the event and the counts. Changes
     * nothing and returns undefined when the order is no longer in `from` (someone else moved it first).
     */
    move(id, from, change) {
      const at = /* @__PURE__ */ new Date();
      const { changes } = updateStatus.run({ id, from, to: change.to, updatedAt: at.getTime() });
      if (changes === 0) return void 0;
      const event = insertEvent.run({
        orderId: id,
        type: "status_changed",
        fromStatus: from,
        toStatus: change.to,
        actor: change.actor,
        reason: change.reason,
        correlationId: change.correlationId,
        at
      });
      countOut.run({ status: from });
      countIn.run({ status: change.to });
      return { eventId: Number(event.lastInsertRowid), at };
    }
  };
}
function createOrdersRepo(db) {
  const writes = createOrderWrites(db);
  const outbox = createStatusOutbox(db);
  const idempotencyKeys2 = createIdempotencyKeys(db);
  const linesOf = (ids) => {
    const rows = ids.length ? db.select().from(orderLines).where(inArray(orderLines.orderId, ids)).orderBy(asc2(orderLines.orderId), asc2(orderLines.lineNo)).all() : [];
    const byOrder = /* @__PURE__ */ new Map();
    for (const line of rows) {
      const group2 = byOrder.get(line.orderId);
      if (group2) group2.push(line);
      else byOrder.set(line.orderId, [line]);
    }
    return byOrder;
  };
  function findById(id) {
    const row = db.select().from(orders).where(eq3(orders.id, id)).get();
    return row && toOrder(row, linesOf([id]).get(id) ?? []);
  }
  function newOrder(input, meta) {
    const now = /* @__PURE__ */ new Date();
    const row = {
      id: uuidv7(),
      storeOrderId: input.storeOrderId,
      storeOrderNumber: input.storeOrderNumber,
      reference: input.reference,
      status: meta.status,
      customerName: input.customer.name,
      customerEmail: input.customer.email,
      shippingLine1: input.shippingAddress.line1,
      shippingLine2: input.shippingAddress.line2 ?? null,
      shippingCity: input.shippingAddress.city,
      shippingPostalCode: input.shippingAddress.postalCode,
      shippingCountry: input.shippingAddress.country,
      // As the store charged it: the schema has checked that the figures add up.
      subtotalCents: input.subtotalCents,
      shippingCents: input.shippingCents,
      vatCents: input.vatCents,
      totalCents: input.totalCents,
      correlationId: meta.correlationId,
      createdAt: now,
      updatedAt: now
    };
    const lines = input.lines.map((line, index2) => ({ orderId: row.id, lineNo: index2 + 1, ...line }));
    return { row, lines };
  }
  const orderForStoreOrder = db.select({ id: orders.id }).from(orders).where(eq3(orders.storeOrderId, p3("storeOrderId"))).prepare();
  const group = createGroupCommit(db.$client);
  const createOnceWork = (input, meta, idempotent) => () => {
    const seen = idempotencyKeys2.find(idempotent.key);
    if (seen) {
      if (seen.fingerprint !== idempotent.fingerprint) return { kind: "key_reused", orderId: seen.orderId };
      return { kind: "replayed", orderId: seen.orderId, answer: storedAnswer(seen, idempotent) };
    }
    const existing = orderForStoreOrder.get({ storeOrderId: input.storeOrderId });
    if (existing) return { kind: "store_order_exists", orderId: existing.id };
    const { row, lines } = newOrder(input, meta);
    writes.insert(row, lines, meta.actor);
    const order = toOrder(row, lines);
    const answer = idempotent.answer(order);
    idempotencyKeys2.insert({
      key: idempotent.key,
      fingerprint: idempotent.fingerprint,
      orderId: order.id,
      status: answer.status,
      body: JSON.stringify(answer.body),
      createdAt: row.createdAt
    });
    return { kind: "created", order, answer };
  };
  function storedAnswer(row, idempotent) {
    const stored = CreateAnswerSchema.safeParse({ status: row.status, body: JSON.parse(row.body) });
    if (stored.success) return stored.data;
    const order = findById(row.orderId);
    if (!order) throw new Error(`idempotency key ${idempotent.key} names order ${row.orderId}, which is gone`);
    return idempotent.answer(order);
  }
  return {
    findById,
    /**
     * Stores an order (its row, lines and first event) under an Idempotency-Key, in one transaction with the
     * key's row: the first request with a key creates the order and stores its answer; a repeat with the
     * same fingerprint gets that answer back and creates nothing; a repeat with another fingerprint is
     * refused, and so is a new key for a store order that is already here (the unique index is the backstop).
     * Resolves once the transaction holding it has committed.
     */
    async createOnce(input, meta, idempotent) {
      const { result, batchSize } = await group.write(createOnceWork(input, meta, idempotent), {
        operation: "INSERT",
        collection: "orders"
      });
      return { ...result, batchSize };
    },
    /**
     * Moves an order to `to` if the lifecycle allows it from the status it has now, writing the event, the
     * counts and the status event for the Store in the same transaction: the change and its announcement
     * commit together.
     */
    transition(id, change) {
      return inTransactionSpan(
        { operation: "UPDATE", collection: "orders" },
        () => db.$client.transaction(() => {
          const current2 = db.select({ status: orders.status }).from(orders).where(eq3(orders.id, id)).get();
          if (!current2) return { kind: "not_found" };
          if (!canTransition(current2.status, change.to)) return { kind: "not_allowed", from: current2.status };
          const moved = writes.move(id, current2.status, change);
          const order = moved && findById(id);
          if (!moved || !order) return { kind: "not_allowed", from: current2.status };
          const { eventId, at } = moved;
          outbox.enqueue({
            eventId,
            orderId: id,
            storeOrderId: order.storeOrderId,
            status: change.to,
            reason: change.reason,
            correlationId: change.correlationId,
            at
          });
          return { kind: "changed", order };
        }).immediate()
      );
    },
    events(orderId) {
      return db.select().from(orderEvents).where(eq3(orderEvents.orderId, orderId)).orderBy(asc2(orderEvents.id)).all().map(toEvent);
    },
    counts() {
      const counts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0]));
      for (const { status, count } of db.select().from(orderStatusCounts).all()) counts[status] = count;
      return counts;
    },
    /**
     * Newest first, keyset-paginated on the time-ordered id: stable while new orders arrive.
     *
     * `q` matches exactly: the order id, the correlation ID, the reference as typed, or the customer email
     * in any case (emails are stored lower-case). Exact so that a page costs the same at any size: each
     * key is then one index range already ordered by id, and its newest `limit + 1` matches past the
     * cursor are read straight off the index. A prefix, or even a plain OR of the four keys, makes SQLite
     * collect every match and sort them all before it can take a page.
     *
     * So each key is searched on its own and the page is taken from their union. The status and cursor
     * go inside every branch: applied after the branch's LIMIT, they could leave a page short. `IN`
     * also shows an order matched by two keys only once.
     */
    list({ status, q, limit, cursor }) {
      const filters = and2(status ? eq3(orders.status, status) : void 0, cursor ? lt3(orders.id, cursor) : void 0);
      const newestMatching = (key, name) => {
        const branch = db.select({ id: orders.id }).from(orders).where(and2(key, filters)).orderBy(desc(orders.id)).limit(limit + 1).as(name);
        return db.select({ id: branch.id }).from(branch);
      };
      const where = q ? inArray(
        orders.id,
        unionAll(
          newestMatching(eq3(orders.id, q), "by_id"),
          newestMatching(eq3(orders.storeOrderNumber, q.toUpperCase()), "by_store_order_number"),
          newestMatching(eq3(orders.correlationId, q), "by_correlation_id"),
          newestMatching(eq3(orders.reference, q), "by_reference"),
          newestMatching(eq3(orders.customerEmail, q.toLowerCase()), "by_email")
        )
      ) : filters;
      const rows = db.select().from(orders).where(where).orderBy(desc(orders.id)).limit(limit + 1).all();
      const page = rows.slice(0, limit);
      const lines = linesOf(page.map((row) => row.id));
      return {
        items: page.map((row) => toOrder(row, lines.get(row.id) ?? [])),
        nextCursor: rows.length > limit ? page.at(-1)?.id ?? null : null
      };
    }
  };
}

// src/orders/orders.handlers.ts
var STORE_ACTOR = "store";
function ordersHandlers({ db, logger, rejectPrefix }) {
  const repo = createOrdersRepo(db);
  const rejects = (reference) => rejectPrefix !== "" && reference.toLowerCase().startsWith(rejectPrefix.toLowerCase());
  const notFound = (c, id) => jsonError(c, HTTP.NOT_FOUND, "not_found", `No order with id ${id}.`);
  const createOrder2 = async (c) => {
    const input = c.req.valid("json");
    const correlationId = c.get("correlationId");
    const key = idempotencyKeyOf(c);
    const rejected = rejects(input.reference);
    const answer = (order) => rejected ? {
      status: HTTP.UNPROCESSABLE_ENTITY,
      body: {
        error: "order_rejected",
        message: `The warehouse does not accept references starting with "${rejectPrefix}".`,
        correlationId,
        order
      }
    } : { status: HTTP.CREATED, body: order };
    const send2 = ({ status: status2, body }) => status2 === HTTP.CREATED ? c.json(body, HTTP.CREATED) : c.json(body, HTTP.UNPROCESSABLE_ENTITY);
    const status = rejected ? "rejected" : "received";
    const result = await repo.createOnce(
      input,
      { status, actor: STORE_ACTOR, correlationId },
      { key, fingerprint: fingerprint(input), answer }
    );
    switch (result.kind) {
      case "key_reused":
        logger.warn({ idempotencyKey: key, orderId: result.orderId }, "order creation refused: idempotency key reused with another body");
        return jsonError(
          c,
          HTTP.UNPROCESSABLE_ENTITY,
          "idempotency_key_reused",
          "This Idempotency-Key was already used for a different order; use a new key for a new order."
        );
      case "store_order_exists":
        logger.warn({ idempotencyKey: key, orderId: result.orderId }, "order creation refused: the store order is already here");
        return jsonError(
          c,
          HTTP.CONFLICT,
          "store_order_exists",
          `The warehouse already has order ${result.orderId} for this storeOrderId, under another Idempotency-Key.`
        );
      case "replayed":
        logger.info({ idempotencyKey: key, orderId: result.orderId, status: result.answer.status }, "order creation replayed");
        c.header(REPLAYED_HEADER, "true");
        return send2(result.answer);
      case "created": {
        const { order } = result;
        const fields = {
          orderId: order.id,
          storeOrderId: order.storeOrderId,
          storeOrderNumber: order.storeOrderNumber,
          batch: result.batchSize
        };
        if (rejected) logger.warn(fields, "order rejected");
        else logger.info({ ...fields, lines: order.lines.length, totalCents: order.totalCents }, "order received");
        return send2(result.answer);
      }
    }
  };
  const listOrders2 = (c) => c.json({ ...repo.list(c.req.valid("query")), counts: repo.counts() }, HTTP.OK);
  const getOrder2 = (c) => {
    const { id } = c.req.valid("param");
    const order = repo.findById(id);
    return order ? c.json(order, HTTP.OK) : notFound(c, id);
  };
  const getEvents2 = (c) => {
    const { id } = c.req.valid("param");
    if (!repo.findById(id)) return notFound(c, id);
    return c.json({ items: repo.events(id) }, HTTP.OK);
  };
  const transition2 = (c) => {
    const { id } = c.req.valid("param");
    const { to, reason } = c.req.valid("json");
    const { user } = sessionOf(c);
    const result = repo.transition(id, { to, reason: reason ?? null, actor: user.email, correlationId: c.get("correlationId") });
    switch (result.kind) {
      case "not_found":
        return notFound(c, id);
      case "not_allowed":
        logger.info({ orderId: id, from: result.from, to }, "order transition refused");
        return jsonError(c, HTTP.CONFLICT, "invalid_transition", `This order is ${result.from}; it cannot move to ${to}.`);
      case "changed":
        logger.info({ orderId: id, storeOrderNumber: result.order.storeOrderNumber, to, staffId: user.id }, "order status changed");
        return c.json(result.order, HTTP.OK);
    }
  };
  return { createOrder: createOrder2, listOrders: listOrders2, getOrder: getOrder2, getEvents: getEvents2, transition: transition2 };
}

// src/orders/orders.openapi.ts
import { createRoute as createRoute2, z as z5 } from "@hono/zod-openapi";
var staffSession = [{ [STAFF_SESSION_SCHEME]: [] }];
var unauthenticated = errorContent("No staff session");
var readOneErrors = {
  [HTTP.BAD_REQUEST]: errorContent("The id is not a UUID"),
  [HTTP.UNAUTHORIZED]: unauthenticated,
  [HTTP.NOT_FOUND]: errorContent("No such order")
};
var createOrder = createRoute2({
  method: "post",
  path: "/api/orders",
  tags: ["Orders (service API)"],
  summary: "Place an order (called by the Store); safe to retry with the same Idempotency-Key",
  security: [{ [STORE_TOKEN_SCHEME]: [] }],
  request: { headers: IdempotencyKeyHeadersSchema, body: jsonContentRequired(CreateOrderSchema, "The order") },
  responses: {
    [HTTP.CREATED]: jsonContent(OrderSchema, "The order was received (or, with `Idempotent-Replayed: true`, had been)"),
    [HTTP.BAD_REQUEST]: errorContent(
      "No Idempotency-Key (`idempotency_key_missing`), an invalid one (`idempotency_key_invalid`), malformed JSON or a schema violation (see `issues`)"
    ),
    [HTTP.UNAUTHORIZED]: errorContent("No valid service token from the Store (`unauthenticated`)"),
    [HTTP.CONFLICT]: errorContent(
      "A request with this Idempotency-Key is still being processed (`idempotency_key_in_flight`), or the warehouse already has an order for this storeOrderId under another key (`store_order_exists`): one order per store order"
    ),
    [HTTP.PAYLOAD_TOO_LARGE]: errorContent("The body is over 64 KB"),
    [HTTP.UNPROCESSABLE_ENTITY]: jsonContent(
      z5.union([RejectedOrderSchema, ErrorSchema]),
      "The warehouse rejected the order; it is stored as `rejected` (`order_rejected`, replayed like a 201). Or this Idempotency-Key was used with another body within 24 hours (`idempotency_key_reused`)"
    )
  }
});
var listOrders = createRoute2({
  method: "get",
  path: "/api/orders",
  tags: ["Orders (staff API)"],
  summary: "Orders, newest first, one page at a time, with counts per status",
  security: staffSession,
  request: { query: ListOrdersQuerySchema },
  responses: {
    [HTTP.OK]: jsonContent(OrderPageSchema, "A page of orders; pass `nextCursor` back as `cursor` for the next one"),
    [HTTP.BAD_REQUEST]: errorContent("A query parameter is out of range"),
    [HTTP.UNAUTHORIZED]: unauthenticated
  }
});
var getOrder = createRoute2({
  method: "get",
  path: "/api/orders/{id}",
  tags: ["Orders (staff API)"],
  summary: "One order",
  security: staffSession,
  request: { params: OrderIdParamsSchema },
  responses: { [HTTP.OK]: jsonContent(OrderSchema, "The order"), ...readOneErrors }
});
var getEvents = createRoute2({
  method: "get",
  path: "/api/orders/{id}/events",
  tags: ["Orders (staff API)"],
  summary: "The order's event trail, oldest first",
  security: staffSession,
  request: { params: OrderIdParamsSchema },
  responses: { [HTTP.OK]: jsonContent(OrderEventsSchema, "The events"), ...readOneErrors }
});
var transition = createRoute2({
  method: "post",
  path: "/api/orders/{id}/transitions",
  tags: ["Orders (staff API)"],
  summary: "Move an order along its lifecycle (needs X-CSRF-Token)",
  security: staffSession,
  request: { params: OrderIdParamsSchema, body: jsonContentRequired(TransitionSchema, "The new status") },
  responses: {
    [HTTP.OK]: jsonContent(OrderSchema, "The order, moved"),
    [HTTP.BAD_REQUEST]: errorContent("Not a status, or a cancellation without a reason"),
    [HTTP.UNAUTHORIZED]: unauthenticated,
    [HTTP.FORBIDDEN]: errorContent("Missing or wrong CSRF token"),
    [HTTP.NOT_FOUND]: errorContent("No such order"),
    [HTTP.CONFLICT]: errorContent("Not allowed from the order's current status (perhaps someone moved it first)")
  }
});

// src/orders/orders.routes.ts
function ordersRoutes(deps, staffGate) {
  const handlers = ordersHandlers(deps);
  const router = new OpenAPIHono3();
  gate(router, createOrder, requireStore(deps.storePublicKey, deps.logger), idempotencyGate(deps.logger));
  for (const route of [listOrders, getOrder, getEvents, transition]) gate(router, route, staffGate);
  return router.openapi(createOrder, handlers.createOrder).openapi(listOrders, handlers.listOrders).openapi(getOrder, handlers.getOrder).openapi(getEvents, handlers.getEvents).openapi(transition, handlers.transition);
}

// src/staff/session.routes.ts
import { OpenAPIHono as OpenAPIHono4 } from "@hono/zod-openapi";

// src/staff/session.handlers.ts
import { deleteCookie, getCookie as getCookie2, setCookie } from "hono/cookie";
import { NO_TRUSTED_PROXIES } from "@fishtag/service-kit/client-address";

// src/lib/client.ts
import { clientOf } from "@fishtag/service-kit/client-address";
function peerAddress(bindings) {
  return bindings?.incoming?.socket.remoteAddress;
}
function requestClient(c, trust) {
  return clientOf(
    { remoteAddress: peerAddress(c.env), forwardedFor: c.req.header("x-forwarded-for"), forwardedProto: c.req.header("x-forwarded-proto") },
    trust
  );
}

// src/staff/password.ts
import { randomBytes, scrypt, timingSafeEqual as timingSafeEqual2 } from "node:crypto";
var DEFAULTS = { N: 2 ** 15, r: 8, p: 1 };
var KEY_LENGTH = 64;
function derive(password, salt, options) {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 256 * (options.N ?? 0) * (options.r ?? 0) }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}
async function hashPassword(password) {
  const salt = randomBytes(16);
  const key = await derive(password, salt, DEFAULTS);
  return ["scrypt", DEFAULTS.N, DEFAULTS.r, DEFAULTS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}
async function verifyPassword(password, stored) {
  const [scheme, n, r, p4, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p4) });
  return key.length === expected.length && timingSafeEqual2(key, expected);
}
var DECOY_HASH = await hashPassword(randomBytes(16).toString("base64url"));
function passwordCheckSlots({ atOnce, share, burstMs }, now = () => performance.now()) {
  let running2 = 0;
  let creditMs = burstMs;
  let filledAt = now();
  return {
    /** A slot, given back by calling the returned function (once); undefined when none may start. */
    take() {
      const started = now();
      creditMs = Math.min(burstMs, creditMs + (started - filledAt) * share);
      filledAt = started;
      if (running2 >= atOnce || creditMs <= 0) return void 0;
      running2++;
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        running2--;
        creditMs -= now() - started;
      };
    }
  };
}

// src/staff/sign-in-throttle.ts
import { lt as lt4 } from "drizzle-orm";
import { RateLimiterRes, RateLimiterSQLite } from "rate-limiter-flexible";
var SIGN_IN_LIMITS = {
  pair: { attempts: 5, windowSeconds: 15 * 60 },
  client: { attempts: 20, windowSeconds: 15 * 60 },
  account: { attempts: 10, windowSeconds: 15 * 60, paceSeconds: 10 }
};
function createSignInThrottle(db, limits = SIGN_IN_LIMITS) {
  const limiter = (keyPrefix, points, duration) => new RateLimiterSQLite({
    storeClient: db.$client,
    storeType: "better-sqlite3",
    tableName: "sign_in_throttle",
    // The migrations make the table (db/schema.ts), and the hourly sweep (sweepSignInThrottle) clears it.
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix,
    points,
    duration
  });
  const pair = limiter("pair", limits.pair.attempts, limits.pair.windowSeconds);
  const client = limiter("client", limits.client.attempts, limits.client.windowSeconds);
  const account = limiter("account", limits.account.attempts, limits.account.windowSeconds);
  const pace = limiter("pace", 1, limits.account.paceSeconds);
  async function took(from, key) {
    try {
      await from.consume(key);
      return true;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return refusal;
      throw refusal;
    }
  }
  return {
    /**
     * Counts an attempt at `email` from `address`, before its password is checked. A refused attempt
     * gives back what it took from the limits before the one that refused it: it was never checked.
     */
    async take(email, address) {
      const accountKey = email.toLowerCase();
      const pairKey = `${address} ${accountKey}`;
      const taken = [];
      const refuse = async (limit, refusal) => {
        for (const [from, key] of taken) await from.reward(key);
        return { ok: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1e3)) };
      };
      for (const [limit, from, key] of [
        ["pair", pair, pairKey],
        ["client", client, address]
      ]) {
        const result = await took(from, key);
        if (result !== true) return refuse(limit, result);
        taken.push([from, key]);
      }
      const overFree = await took(account, accountKey);
      taken.push([account, accountKey]);
      if (overFree !== true) {
        const paced = await took(pace, accountKey);
        if (paced !== true) return refuse("account", paced);
      }
      return {
        ok: true,
        succeeded: async () => {
          await pair.delete(pairKey);
          await client.reward(address);
          await account.reward(accountKey);
        }
      };
    }
  };
}

// src/staff/session.handlers.ts
var DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1e3;
var DEFAULT_PASSWORD_CHECKS = { atOnce: 1, share: 0.25, burstMs: 1e3 };
function sessionHandlers({
  db,
  logger,
  sessionTtlMs = DEFAULT_SESSION_TTL_MS,
  trustedProxies = NO_TRUSTED_PROXIES,
  passwordChecks = DEFAULT_PASSWORD_CHECKS
}, staff) {
  const throttle = createSignInThrottle(db);
  const slots = passwordCheckSlots(passwordChecks);
  const signIn2 = async (c) => {
    const { email, password } = c.req.valid("json");
    const client = requestClient(c, trustedProxies);
    const release = slots.take();
    if (!release) {
      logger.warn("sign-in refused: the password checks are busy");
      c.header("Retry-After", "1");
      return jsonError(c, HTTP.SERVICE_UNAVAILABLE, "busy", "Too many sign-ins at once. Try again in a second.");
    }
    try {
      const turn = await throttle.take(email, client.address);
      if (!turn.ok) {
        logger.warn({ limit: turn.limit, retryAfterSeconds: turn.retryAfterSeconds }, "sign-in throttled");
        c.header("Retry-After", String(turn.retryAfterSeconds));
        return jsonError(
          c,
          HTTP.TOO_MANY_REQUESTS,
          "too_many_attempts",
          `Too many sign-in attempts. Try again in ${turn.retryAfterSeconds} seconds.`
        );
      }
      const user = staff.findUserByEmail(email);
      const valid = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
      if (!user || !valid) {
        logger.warn({ knownAccount: Boolean(user) }, "sign-in failed");
        return jsonError(c, HTTP.UNAUTHORIZED, "invalid_credentials", "Wrong email or password.");
      }
      await turn.succeeded();
      const session = staff.createSession(user.id, sessionTtlMs);
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: "Strict",
        // Behind a TLS-terminating proxy the app sees http: the proxy's X-Forwarded-Proto says, if it is trusted.
        secure: new URL(c.req.url).protocol === "https:" || client.forwardedHttps,
        path: "/",
        expires: session.expiresAt
      });
      logger.info({ staffId: user.id }, "staff signed in");
      return c.json({ user: { email: user.email, name: user.name }, csrfToken: session.csrfToken }, HTTP.OK);
    } finally {
      release();
    }
  };
  const current2 = (c) => {
    const { user, csrfToken } = sessionOf(c);
    return c.json({ user: { email: user.email, name: user.name }, csrfToken }, HTTP.OK);
  };
  const signOut2 = (c) => {
    const { user } = sessionOf(c);
    const token = getCookie2(c, SESSION_COOKIE);
    if (token) staff.deleteSession(token);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    logger.info({ staffId: user.id }, "staff signed out");
    return c.body(null, HTTP.NO_CONTENT);
  };
  return { signIn: signIn2, current: current2, signOut: signOut2 };
}

// src/staff/session.openapi.ts
import { createRoute as createRoute3, z as z6 } from "@hono/zod-openapi";
var SessionSchema = z6.object({ user: z6.object({ email: z6.string(), name: z6.string() }), csrfToken: z6.string() }).openapi("StaffSession");
var SignInSchema = z6.object({ email: z6.email().max(254), password: z6.string().min(1).max(200) }).openapi("SignIn");
var signIn = createRoute3({
  method: "post",
  path: "/api/session",
  tags: ["Staff session"],
  summary: "Sign in (sets the session cookie)",
  request: { body: jsonContentRequired(SignInSchema, "Credentials") },
  responses: {
    [HTTP.OK]: jsonContent(SessionSchema, "Signed in"),
    [HTTP.BAD_REQUEST]: errorContent("Malformed"),
    [HTTP.UNAUTHORIZED]: errorContent("Wrong email or password"),
    [HTTP.TOO_MANY_REQUESTS]: errorContent("Too many attempts from this client, or at this account; see Retry-After"),
    [HTTP.SERVICE_UNAVAILABLE]: errorContent("Too many sign-ins at once for the password checks; see Retry-After")
  }
});
var current = createRoute3({
  method: "get",
  path: "/api/session",
  tags: ["Staff session"],
  summary: "The signed-in staff member and the CSRF token",
  responses: { [HTTP.OK]: jsonContent(SessionSchema, "Signed in"), [HTTP.UNAUTHORIZED]: errorContent("Not signed in") }
});
var signOut = createRoute3({
  method: "delete",
  path: "/api/session",
  tags: ["Staff session"],
  summary: "Sign out (needs X-CSRF-Token)",
  responses: {
    [HTTP.NO_CONTENT]: { description: "Signed out" },
    [HTTP.UNAUTHORIZED]: errorContent("Not signed in"),
    [HTTP.FORBIDDEN]: errorContent("Missing or wrong CSRF token")
  }
});

// src/staff/session.routes.ts
function sessionRoutes(deps, staff, staffGate) {
  const handlers = sessionHandlers(deps, staff);
  const router = new OpenAPIHono4();
  gate(router, current, staffGate);
  gate(router, signOut, staffGate);
  return router.openapi(signIn, handlers.signIn).openapi(current, handlers.current).openapi(signOut, handlers.signOut);
}

// src/staff/staff.repo.ts
import { createHash as createHash2, randomBytes as randomBytes2 } from "node:crypto";
import { and as and3, eq as eq4, gt, lt as lt5 } from "drizzle-orm";
import { v7 as uuidv72 } from "uuid";
var sha256 = (token) => createHash2("sha256").update(token).digest("base64url");
var randomToken = () => randomBytes2(32).toString("base64url");
function createStaffRepo(db) {
  return {
    async addUser({ email, name, password }) {
      const user = { id: uuidv72(), email: email.toLowerCase(), name };
      db.insert(staffUsers).values({ ...user, passwordHash: await hashPassword(password), createdAt: /* @__PURE__ */ new Date() }).run();
      return user;
    },
    findUserByEmail(email) {
      return db.select().from(staffUsers).where(eq4(staffUsers.email, email.toLowerCase())).get();
    },
    /** Starts a session; the returned token goes in the cookie and is not stored. */
    createSession(userId, ttlMs) {
      const token = randomToken();
      const now = Date.now();
      const session = { csrfToken: randomToken(), expiresAt: new Date(now + ttlMs) };
      db.insert(staffSessions).values({ tokenHash: sha256(token), userId, createdAt: new Date(now), ...session }).run();
      return { token, ...session };
    },
    /** The live session for a cookie token, or undefined (unknown or expired). */
    findSession(token) {
      const row = db.select({
        user: { id: staffUsers.id, email: staffUsers.email, name: staffUsers.name },
        csrfToken: staffSessions.csrfToken,
        expiresAt: staffSessions.expiresAt
      }).from(staffSessions).innerJoin(staffUsers, eq4(staffUsers.id, staffSessions.userId)).where(and3(eq4(staffSessions.tokenHash, sha256(token)), gt(staffSessions.expiresAt, /* @__PURE__ */ new Date()))).get();
      return row;
    },
    deleteSession(token) {
      db.delete(staffSessions).where(eq4(staffSessions.tokenHash, sha256(token))).run();
    },
    /** Expired sessions are refused on read; this only keeps the table small. */
    deleteExpiredSessions() {
      return db.delete(staffSessions).where(lt5(staffSessions.expiresAt, /* @__PURE__ */ new Date())).run().changes;
    }
  };
}

// src/app.ts
var BODY_LIMIT_BYTES = 64 * 1024;
var ERROR_CODES = {
  [HTTP.BAD_REQUEST]: "bad_request",
  [HTTP.PAYLOAD_TOO_LARGE]: "payload_too_large",
  [HTTP.UNSUPPORTED_MEDIA_TYPE]: "unsupported_media_type"
};
function bodyBrokenOff(bindings) {
  const incoming = bindings?.incoming;
  return incoming !== void 0 && !incoming.complete && (incoming.errored !== null || incoming.destroyed);
}
function createApp(deps) {
  const { logger, exposeErrors = false } = deps;
  const app = new OpenAPIHono5({
    // Schema violations anywhere (body, params, query) come back in the API's one error shape.
    defaultHook: (result, c) => {
      if (!result.success) {
        return jsonError(c, HTTP.BAD_REQUEST, "validation_failed", "The request is not valid.", toIssues(result.error));
      }
      return void 0;
    }
  });
  app.use(httpInstrumentationMiddleware({ serviceName: "warehouse-api" }));
  app.use(correlation(logger));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"]
      }
    })
  );
  app.use("/api/*", bodyLimit(BODY_LIMIT_BYTES));
  const staff = createStaffRepo(deps.db);
  const staffGate = requireStaff(staff);
  app.openAPIRegistry.registerComponent("securitySchemes", STAFF_SESSION_SCHEME, {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description: "Set by POST /api/session. State-changing calls also need the session's X-CSRF-Token."
  });
  app.openAPIRegistry.registerComponent("securitySchemes", STORE_TOKEN_SCHEME, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A token the Store signs per call with its Ed25519 key (alg EdDSA): iss `store-web`, aud `warehouse-api` (one string), iat, exp at most 60 s later, jti, and htm/htu: the method and URL of this call (RFC 9449). Checked against STORE_PUBLIC_KEY with 5 s of clock tolerance."
  });
  if (deps.dashboardDir) app.route("/", dashboardRoutes(deps.dashboardDir));
  app.route("/", healthRoutes(deps));
  app.route("/", sessionRoutes(deps, staff, staffGate));
  app.route("/", ordersRoutes(deps, staffGate));
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "fishtag Warehouse API",
      version: "1.0.0",
      description: "Every request may carry `X-Correlation-Id` (1\u2013128 of `[A-Za-z0-9._:-]`); every response carries the ID in use."
    }
  });
  app.notFound((c) => jsonError(c, HTTP.NOT_FOUND, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
  app.onError((error, c) => {
    if (error instanceof HTTPException2) {
      const { status } = error;
      return jsonError(c, status, ERROR_CODES[status] ?? "http_error", error.message);
    }
    if (bodyBrokenOff(c.env)) {
      logger.warn("request body broken off: malformed, or the client went away");
      return jsonError(c, HTTP.BAD_REQUEST, "bad_request", "The request body could not be read.");
    }
    logger.error({ err: error }, "unhandled error");
    const message = exposeErrors && error instanceof Error ? error.stack ?? error.message : "Something went wrong.";
    return jsonError(c, HTTP.INTERNAL_SERVER_ERROR, "internal_error", message);
  });
  return app;
}

// src/db/client.ts
import { fileURLToPath } from "node:url";
import { openSqlite } from "@fishtag/service-kit/sqlite";
var MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));
function openDatabase(path) {
  return openSqlite(path, { schema: schema_exports, migrationsFolder: MIGRATIONS_FOLDER });
}

// src/orders/seed.ts
import { sql as sql5 } from "drizzle-orm";
import { v7 as uuidv73 } from "uuid";
var FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Edsger",
  "Barbara",
  "Donald",
  "Frances",
  "Linus",
  "Margaret",
  "Ken",
  "Radia",
  "Tim",
  "Hedy",
  "Dennis",
  "Sophie"
];
var LAST = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Dijkstra",
  "Liskov",
  "Knuth",
  "Allen",
  "Torvalds",
  "Hamilton",
  "Thompson",
  "Perlman",
  "Berners-Lee",
  "Lamarr",
  "Ritchie",
  "Wilson"
];
var CITIES = [
  ["London", "N1 9GU", "GB"],
  ["Dublin", "D02 X285", "IE"],
  ["Paris", "75011", "FR"],
  ["Berlin", "10115", "DE"],
  ["Amsterdam", "1012 AB", "NL"],
  ["Madrid", "28004", "ES"],
  ["Boston", "02118", "US"],
  ["Toronto", "M5V 2T6", "CA"]
];
var PRODUCTS = [
  ["MUG-TEAL", "Enamel mug", 1450],
  ["TEE-FISH", "Fish-tag tee", 2400],
  ["NOTE-A5", "A5 notebook", 950],
  ["BAG-TOTE", "Canvas tote", 1800],
  ["STK-PACK", "Sticker pack", 500]
];
var STAFF = ["sam@warehouse.test", "alex@warehouse.test", "kim@warehouse.test"];
var DAY = 24 * 60 * 60 * 1e3;
var BATCH = 500;
function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = state + 1831565813 >>> 0;
    let t = state;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
  const pick = (items) => items[Math.floor(next() * items.length)];
  return { next, pick, int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}
function historyFor(ageDays, roll) {
  if (roll < 0.03) return ["cancelled"];
  const steps = ["picking", "packed", "shipped"];
  const done = ageDays > 3 ? 3 : ageDays > 1 ? 2 : ageDays > 0.3 ? 1 : 0;
  return steps.slice(0, done);
}
function seedOrders(db, count, seedValue = 42) {
  const rnd = random(seedValue);
  const now = Date.now();
  const times = Array.from({ length: count }, () => now - rnd.next() * 90 * DAY).sort((a, b) => a - b);
  for (let start = 0; start < count; start += BATCH) {
    const orderRows = [];
    const lineRows = [];
    const eventRows = [];
    for (const createdMs of times.slice(start, start + BATCH)) {
      const id = uuidv73({ msecs: Math.floor(createdMs) });
      const first = rnd.pick(FIRST);
      const last = rnd.pick(LAST);
      const [city, postalCode, country] = rnd.pick(CITIES);
      const rejected = rnd.next() < 0.02;
      const reference = `${rejected ? "F" : "PO"}-${rnd.int(1e4, 99999)}`;
      const correlationId = crypto.randomUUID();
      let status = rejected ? "rejected" : "received";
      let at = createdMs;
      eventRows.push({
        orderId: id,
        type: rejected ? "rejected" : "created",
        fromStatus: null,
        toStatus: status,
        actor: "store",
        reason: null,
        correlationId,
        at: new Date(at)
      });
      if (!rejected) {
        for (const next of historyFor((now - createdMs) / DAY, rnd.next())) {
          at = Math.min(now, at + rnd.int(10, 600) * 60 * 1e3);
          eventRows.push({
            orderId: id,
            type: "status_changed",
            fromStatus: status,
            toStatus: next,
            actor: rnd.pick(STAFF),
            reason: next === "cancelled" ? "Customer asked to cancel" : null,
            correlationId: crypto.randomUUID(),
            at: new Date(at)
          });
          status = next;
        }
      }
      let subtotalCents = 0;
      const lineCount = rnd.int(1, 4);
      for (let lineNo = 1; lineNo <= lineCount; lineNo++) {
        const [sku, name, unitPriceCents] = rnd.pick(PRODUCTS);
        const quantity = rnd.int(1, 5);
        subtotalCents += quantity * unitPriceCents;
        lineRows.push({ orderId: id, lineNo, sku, name, quantity, unitPriceCents });
      }
      const shippingCents = subtotalCents >= 5e3 ? 0 : 495;
      const totalCents = subtotalCents + shippingCents;
      orderRows.push({
        id,
        storeOrderId: crypto.randomUUID(),
        // SD- for seeded: numbers no real store order will take.
        storeOrderNumber: `SD-${String(start + orderRows.length + 1).padStart(7, "0")}`,
        reference,
        status,
        customerName: `${first} ${last}`,
        customerEmail: `${first}.${last}.${rnd.int(1, 9999)}@example.com`.toLowerCase(),
        shippingLine1: `${rnd.int(1, 250)} Market Street`,
        shippingLine2: null,
        shippingCity: city,
        shippingPostalCode: postalCode,
        shippingCountry: country,
        subtotalCents,
        shippingCents,
        vatCents: Math.round(totalCents * 20 / 120),
        totalCents,
        correlationId,
        createdAt: new Date(createdMs),
        updatedAt: new Date(at)
      });
    }
    db.transaction((tx) => {
      tx.insert(orders).values(orderRows).run();
      for (let i = 0; i < lineRows.length; i += 2e3)
        tx.insert(orderLines).values(lineRows.slice(i, i + 2e3)).run();
      for (let i = 0; i < eventRows.length; i += 2e3)
        tx.insert(orderEvents).values(eventRows.slice(i, i + 2e3)).run();
    });
  }
  db.transaction((tx) => {
    tx.delete(orderStatusCounts).run();
    tx.run(sql5`INSERT INTO order_status_counts (status, count) SELECT status, count(*) FROM orders GROUP BY status`);
  });
}

// bench/child-process.ts
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { buildSync } from "esbuild";

// bench/protocol.ts
import { randomUUID, sign, verify } from "node:crypto";
import { targetClaims } from "@fishtag/service-auth/tokens";
var SERVER_KINDS = ["floor", "raw", "app", "quiet"];
function isMessage(value) {
  return typeof value === "object" && value !== null && "type" in value && typeof value.type === "string";
}
var ORDER_TEMPLATE = {
  reference: "PO-2025-118734",
  customer: { name: "Ada Lovelace", email: "ada.lovelace@analytical-engines.example.com" },
  shippingAddress: {
    line1: "12 Analytical Row",
    line2: "Flat 3, Babbage House, second floor",
    city: "London",
    postalCode: "N1 9GU",
    country: "GB"
  },
  lines: [
    { sku: "MUG-ENAMEL-350-BLU", name: "Enamel camping mug, 350 ml, speckled blue", quantity: 2, unitPriceCents: 1250 },
    { sku: "TEE-FISH-ORG-M", name: "Organic cotton tee with the fishtag print, size M", quantity: 1, unitPriceCents: 2400 }
  ],
  // 2 × 12.50 + 24.00, free shipping over £50 would not apply: £4.95; 20% VAT included in £53.95.
  subtotalCents: 4900,
  shippingCents: 495,
  vatCents: 899,
  totalCents: 5395,
  storeOrderNumber: "ST-118734"
};
var TEMPLATE_REST = JSON.stringify(ORDER_TEMPLATE).slice(1);
var HEADER_PART = Buffer.from(JSON.stringify({ alg: "EdDSA", typ: "JWT" })).toString("base64url");
function rawTokenValid(authorization, publicKey) {
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7) : void 0;
  const [header, payload, signature] = token?.split(".") ?? [];
  if (!header || !payload || !signature) return false;
  if (!verify(null, Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"))) return false;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  return claims.aud === "warehouse-api" && typeof claims.exp === "number" && claims.exp > Date.now() / 1e3;
}

// bench/child-process.ts
function sendToParent(message, then) {
  process.send?.(message, void 0, void 0, then);
}
function answerRounds(server, close) {
  let handled = 0;
  server.on("request", () => {
    handled++;
  });
  let roundStart;
  let peakRss = 0;
  let rssSampler;
  const report = (message) => {
    sendToParent(message);
  };
  process.on("message", (message) => {
    if (!isMessage(message)) return;
    switch (message.type) {
      case "begin":
        roundStart = { cpu: process.cpuUsage(), wallMs: performance.now(), handled };
        peakRss = process.memoryUsage.rss();
        clearInterval(rssSampler);
        rssSampler = setInterval(() => {
          peakRss = Math.max(peakRss, process.memoryUsage.rss());
        }, 100);
        report({ type: "begun" });
        break;
      case "end": {
        const start = roundStart ?? { cpu: process.cpuUsage(), wallMs: performance.now(), handled };
        const cpu = process.cpuUsage(start.cpu);
        const wallMicros = Math.round((performance.now() - start.wallMs) * 1e3);
        report({
          type: "ended",
          cpuMicros: cpu.user + cpu.system,
          wallMicros,
          requests: handled - start.handled,
          peakRssKb: Math.round(Math.max(peakRss, process.memoryUsage.rss()) / 1024)
        });
        clearInterval(rssSampler);
        break;
      }
      case "close":
        close(handled);
        break;
    }
  });
  process.on("disconnect", () => {
    process.exit(0);
  });
}
function countLines(file) {
  const contents = readFileSync(file);
  let lines = 0;
  for (let i = contents.indexOf(10); i !== -1; i = contents.indexOf(10, i + 1)) lines++;
  return lines;
}

// bench/server.ts
function parseArgv() {
  const [kindArg, dirArg, keyArg, prefillArg = "0"] = process.argv.slice(2);
  const kind2 = SERVER_KINDS.find((k) => k === kindArg);
  const key = keyArg ? parsePublicKey(keyArg) : void 0;
  if (!kind2 || !dirArg || !key?.ok || !process.send) {
    console.error("usage: forked by create-order.ts as `server.ts floor|raw|app <dir> <store public key> [prefill]`");
    process.exit(2);
  }
  return { kind: kind2, dir: dirArg, storePublicKey: key.key, prefill: Number(prefillArg) };
}
var { kind, dir, storePublicKey, prefill } = parseArgv();
function openBenchDatabase(file) {
  const db = openDatabase(join2(dir, file));
  if (prefill > 0) seedOrders(db, prefill);
  return db;
}
var send = (message, then) => {
  sendToParent(message, then);
};
function startApp() {
  const logFile = join2(dir, "app.log");
  const logger = createLogger({ service: "warehouse-api", level: kind === "quiet" ? "silent" : "info", file: logFile, stdout: false });
  const db = openBenchDatabase("app.db");
  const app = createApp({ db, logger, rejectPrefix: "F", storePublicKey });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, listening);
  return { server, db, logger, logFile };
}
function startRaw() {
  const db = openBenchDatabase("raw.db");
  const sqlite = db.$client;
  const insertOrder = sqlite.prepare(
    `INSERT INTO orders (id, store_order_id, store_order_number, reference, status, customer_name, customer_email,
       shipping_line1, shipping_line2, shipping_city, shipping_postal_code, shipping_country, subtotal_cents,
       shipping_cents, vat_cents, total_cents, correlation_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  );
  const insertEvent = sqlite.prepare(
    `INSERT INTO order_events (order_id, type, from_status, to_status, actor, reason, correlation_id, at)
     VALUES (?, 'created', NULL, ?, 'store', NULL, ?, ?)`
  );
  const countIn = sqlite.prepare(
    "INSERT INTO order_status_counts (status, count) VALUES (?, 1) ON CONFLICT(status) DO UPDATE SET count = count + 1"
  );
  const findKey = sqlite.prepare("SELECT fingerprint, status, body FROM idempotency_keys WHERE key = ?");
  const insertKey = sqlite.prepare(
    "INSERT INTO idempotency_keys (key, fingerprint, order_id, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)"
  );
  const insertLine = sqlite.prepare(
    "INSERT INTO order_lines (order_id, line_no, sku, name, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?, ?)"
  );
  const store = sqlite.transaction((key, fingerprint2, order, body, createdAtMs) => {
    if (findKey.get(key) !== void 0) return false;
    const { shippingAddress: address } = order;
    insertOrder.run(
      order.id,
      order.storeOrderId,
      order.storeOrderNumber,
      order.reference,
      order.status,
      order.customer.name,
      order.customer.email,
      address.line1,
      address.line2 ?? null,
      address.city,
      address.postalCode,
      address.country,
      order.subtotalCents,
      order.shippingCents,
      order.vatCents,
      order.totalCents,
      order.correlationId,
      createdAtMs,
      createdAtMs
    );
    order.lines.forEach((line, index2) => {
      insertLine.run(order.id, index2 + 1, line.sku, line.name, line.quantity, line.unitPriceCents);
    });
    insertEvent.run(order.id, order.status, order.correlationId, createdAtMs);
    countIn.run(order.status);
    insertKey.run(key, fingerprint2, order.id, 201, body, createdAtMs);
    return true;
  });
  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/api/orders") {
      res.writeHead(404).end();
      return;
    }
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      if (!rawTokenValid(req.headers.authorization, storePublicKey)) {
        res.writeHead(401).end();
        return;
      }
      const key = req.headers["idempotency-key"];
      if (typeof key !== "string") {
        res.writeHead(400).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      let input;
      try {
        input = JSON.parse(raw.toString("utf8"));
      } catch {
        res.writeHead(400).end();
        return;
      }
      const correlationId = req.headers["x-correlation-id"];
      const createdAt = Date.now();
      const order = {
        id: uuidv74(),
        storeOrderId: input.storeOrderId,
        storeOrderNumber: input.storeOrderNumber,
        reference: input.reference,
        status: "received",
        customer: input.customer,
        shippingAddress: input.shippingAddress,
        lines: input.lines,
        subtotalCents: input.subtotalCents,
        shippingCents: input.shippingCents,
        vatCents: input.vatCents,
        totalCents: input.totalCents,
        correlationId: typeof correlationId === "string" ? correlationId : crypto.randomUUID(),
        createdAt: new Date(createdAt).toISOString(),
        updatedAt: new Date(createdAt).toISOString()
      };
      const body = JSON.stringify(order);
      const fingerprint2 = createHash3("sha256").update(raw).digest("base64url");
      if (!store.immediate(key, fingerprint2, order, body, createdAt)) {
        res.writeHead(409).end();
        return;
      }
      res.writeHead(201, { "content-type": "application/json", "x-correlation-id": order.correlationId }).end(body);
    });
  });
  server.listen(0, "127.0.0.1", () => {
    listening(server.address());
  });
  return { server, db, logger: void 0, logFile: void 0 };
}
function startFloor() {
  const db = openDatabase(join2(dir, "floor.db"));
  const sqlite = db.$client;
  sqlite.exec("CREATE TABLE floor_orders (id TEXT PRIMARY KEY, store_order_id TEXT NOT NULL, body TEXT NOT NULL) STRICT");
  const insert = sqlite.prepare("INSERT INTO floor_orders (id, store_order_id, body) VALUES (?, ?, ?)");
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const text3 = Buffer.concat(chunks).toString("utf8");
      let storeOrderId;
      try {
        ({ storeOrderId } = JSON.parse(text3));
      } catch {
        res.writeHead(400).end();
        return;
      }
      const id = uuidv74();
      insert.run(id, String(storeOrderId), text3);
      const correlationId = req.headers["x-correlation-id"];
      res.writeHead(201, { "content-type": "application/json", "x-correlation-id": typeof correlationId === "string" ? correlationId : id }).end(JSON.stringify({ id, storeOrderId, correlationId }));
    });
  });
  server.listen(0, "127.0.0.1", () => {
    listening(server.address());
  });
  return { server, db, logger: void 0, logFile: void 0 };
}
function listening({ port }) {
  send({ type: "ready", port });
}
var running = { app: startApp, quiet: startApp, raw: startRaw, floor: startFloor }[kind]();
answerRounds(running.server, (handled) => {
  running.server.close();
  running.server.closeAllConnections();
  const sqlite = running.db.$client;
  const table = kind === "floor" ? "floor_orders" : "orders";
  const counts = sqlite.prepare(`SELECT count(*) AS orders, count(DISTINCT store_order_id) AS ids FROM ${table}`).get();
  sqlite.close();
  const finish = () => {
    const logLines = running.logFile ? countLines(running.logFile) : null;
    send({ type: "closed", orders: counts.orders, distinctStoreOrderIds: counts.ids, logLines, handled }, () => process.exit(0));
  };
  if (running.logger) running.logger.flush(finish);
  else finish();
});
