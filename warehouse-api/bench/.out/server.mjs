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
import { startTracing } from "@fishtag/tracing/otel";

// src/app.ts
import { httpInstrumentationMiddleware } from "@hono/otel";
import { OpenAPIHono as OpenAPIHono8 } from "@hono/zod-openapi";
import { HTTPException as HTTPException2 } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";

// src/dashboard.routes.ts
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";

// src/dashboard-pages.ts
var DASHBOARD_PAGES = {
  orders: "/",
  order: "/orders/:id",
  accounts: "/accounts",
  password: "/password"
};

// src/dashboard.routes.ts
var cacheFor = (value) => createMiddleware(async (c, next) => {
  await next();
  if (c.res.ok) c.res.headers.set("Cache-Control", value);
});
function dashboardRoutes(dir2) {
  const dashboard = new OpenAPIHono();
  dashboard.use("/assets/*", cacheFor("public, max-age=31536000, immutable"), serveStatic({ root: dir2 }));
  const page = serveStatic({ path: join(dir2, "index.html") });
  for (const path of Object.values(DASHBOARD_PAGES)) dashboard.get(path, cacheFor("no-cache"), page);
  return dashboard;
}
async function dashboardNotFound(dir2, c) {
  const { method, path } = c.req;
  if (method !== "GET" || path.startsWith("/api/") || path.startsWith("/assets/")) return void 0;
  if (!(c.req.header("accept") ?? "").includes("text/html")) return void 0;
  try {
    const page = await readFile(join(dir2, "index.html"), "utf8");
    c.header("Cache-Control", "no-cache");
    return c.html(page, 404);
  } catch {
    return void 0;
  }
}

// src/docs/docs.routes.ts
import { OpenAPIHono as OpenAPIHono2 } from "@hono/zod-openapi";

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
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503
};

// src/docs/reference-css.ts
var REFERENCE_CSS = `
:root {
  --bg: #f7f7f4;
  --surface: #ffffff;
  --text: #1c1f23;
  --muted: #5b636d;
  --line: #d9dcd6;
  --accent: #0f766e;
  --accent-strong: #0b5a54;
  --radius: 10px;
  color-scheme: light;
  font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  line-height: 1.55;
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1.25rem 1.25rem 4rem; background: var(--bg); color: var(--text); font-size: 0.95rem; }
h1 { font-size: 1.7rem; margin: 0.2rem 0 0.5rem; line-height: 1.25; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 1rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 0.4rem; line-height: 1.4; }
h4 { font-size: 0.8rem; margin: 1.1rem 0 0.4rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
p { margin: 0.3rem 0; }
a { color: var(--accent-strong); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.86em; background: rgba(0, 0, 0, 0.05); padding: 0.05rem 0.3rem; border-radius: 4px; overflow-wrap: anywhere; }
:focus-visible { outline: 3px solid #99f6e4; outline-offset: 2px; }
.muted { color: var(--muted); }
.brand { font-weight: 700; margin: 0; }
.page-head { padding-bottom: 0.5rem; }
.toc { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: 0.25rem 1.25rem 1rem; margin-top: 1rem; }
.toc h2 { border: 0; margin: 0.75rem 0 0.25rem; font-size: 1.1rem; }
.toc h3 { font-size: 0.8rem; margin: 1rem 0 0.3rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.toc ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
.toc li a { text-decoration: none; }
.toc li a .path { text-decoration: underline; text-underline-offset: 2px; }
.toc li .muted { display: block; font-size: 0.85rem; }
.method { display: inline-block; min-width: 3.7rem; padding: 0 0.4rem; border-radius: 6px; font-size: 0.75rem; font-weight: 700; text-align: center; letter-spacing: 0.03em; color: #fff; background: var(--muted); vertical-align: 0.1em; }
.method-get { background: #175cd3; }
.method-post { background: var(--accent); }
.method-put, .method-patch { background: #93370d; }
.method-delete { background: #b42318; }
.path { background: none; padding: 0; font-size: 0.95em; }
.endpoint, .schema { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.25rem; margin: 0 0 1rem; scroll-margin-top: 1rem; }
.summary { font-weight: 600; }
.who { color: var(--muted); font-size: 0.9rem; }
.fields { list-style: none; margin: 0.25rem 0 0; padding: 0; border-top: 1px solid var(--line); }
.fields li { padding: 0.45rem 0; border-bottom: 1px solid var(--line); }
.fields .fields { margin: 0.4rem 0 0 0.9rem; padding-left: 0.75rem; border-left: 2px solid var(--line); border-top: 0; }
.fields .fields li:last-child { border-bottom: 0; }
.field-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.1rem 0.5rem; margin: 0; }
.field-name { font-weight: 700; background: none; padding: 0; }
.field-type { color: var(--muted); font-size: 0.88rem; }
.tag { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.tag-required { color: #93370d; font-weight: 700; }
.body-type { font-size: 0.9rem; }
.responses { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 0.5rem 0.9rem; margin: 0; }
.responses dt { padding-top: 0.3rem; }
.responses dd { margin: 0; min-width: 0; }
.status { display: inline-block; min-width: 2.8rem; padding: 0 0.35rem; border-radius: 6px; font-weight: 700; font-size: 0.85rem; text-align: center; border: 1px solid; }
.status-2xx { background: #ecfdf3; color: #067647; border-color: #abefc6; }
.status-4xx { background: #fffaeb; color: #93370d; border-color: #fedf89; }
.status-5xx { background: #fef3f2; color: #b42318; border-color: #fecdca; }
.schemes dt { font-weight: 700; margin-top: 0.75rem; scroll-margin-top: 1rem; }
.schemes dd { margin: 0.2rem 0 0; }
@media (max-width: 30rem) {
  body { padding: 0.9rem 0.75rem 3rem; }
  .endpoint, .schema { padding: 0.85rem 0.9rem; }
  .fields .fields { margin-left: 0.3rem; padding-left: 0.5rem; }
}
`;

// src/docs/reference.ts
import { html } from "hono/html";
var METHODS = ["get", "post", "put", "patch", "delete"];
var refName = (ref) => ref.slice(ref.lastIndexOf("/") + 1);
var schemaAnchor = (name) => `schema-${name}`;
var slug = (text3) => text3.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
function prose(text3) {
  if (!text3) return void 0;
  return html`${text3.split("`").map((part, i) => i % 2 ? html`<code>${part}</code>` : part)}`;
}
var literal = (value) => html`<code>${JSON.stringify(value)}</code>`;
function range(min, max, unit = "") {
  const of = (n) => unit ? `${n} ${unit}` : String(n);
  if (min === void 0) return max === void 0 ? void 0 : `at most ${of(max)}`;
  if (max === void 0) return `at least ${of(min)}`;
  return min === max ? `exactly ${of(min)}` : `${min}\u2013${of(max)}`;
}
function typeOf(schema) {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return html`<a href="#${schemaAnchor(name)}">${name}</a>`;
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return html`${alternatives.map((alt, i) => html`${i ? " or " : ""}${typeOf(alt)}`)}`;
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type ?? "any"]).filter((type2) => type2 !== "null");
  const nullable = Array.isArray(schema.type) && schema.type.includes("null");
  const [type = "any"] = types;
  const notes = [];
  let kind2 = type;
  if (type === "array" && schema.items) kind2 = html`array of ${typeOf(schema.items)}`;
  if (type === "object" && !schema.properties && typeof schema.additionalProperties === "object") {
    kind2 = html`object of ${typeOf(schema.additionalProperties)}`;
  }
  if (schema.format) kind2 = html`${kind2} (${schema.format})`;
  const values = schema.enum?.filter((value) => value !== null);
  if (values?.length) notes.push(html`one of ${values.map((value, i) => html`${i ? ", " : ""}${literal(value)}`)}`);
  const bounds = type === "string" ? range(schema.minLength, schema.maxLength, "characters") : type === "array" ? range(schema.minItems, schema.maxItems, "items") : range(schema.minimum, schema.maximum);
  if (bounds) notes.push(bounds);
  if (schema.pattern) notes.push(html`matching <code>${schema.pattern}</code>`);
  if (schema.default !== void 0) notes.push(html`default ${literal(schema.default)}`);
  if (nullable) notes.push("or null");
  return html`${kind2}${notes.map((note) => html`, ${note}`)}`;
}
function fields(schema) {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return void 0;
  const required = new Set(schema.required ?? []);
  return html`<ul class="fields">
    ${properties.map(
    ([name, field]) => html`<li>
          <p class="field-head">
            <code class="field-name">${name}</code> <span class="field-type">${typeOf(field)}</span>
            ${required.has(name) ? html`<span class="tag tag-required">required</span>` : html`<span class="tag">optional</span>`}
          </p>
          ${field.description ? html`<p>${prose(field.description)}</p>` : ""}
          ${field.example === void 0 ? "" : html`<p class="muted">Example: ${literal(field.example)}</p>`}
          ${fields(field.type === "array" && field.items ? field.items : field) ?? ""}
        </li>`
  )}
  </ul>`;
}
function body(content, schemas, expand) {
  const json = content?.["application/json"]?.schema;
  if (!json) return void 0;
  const named = json.$ref ? schemas[refName(json.$ref)] : void 0;
  const shown = named ?? json;
  return html`<p class="body-type">JSON: ${typeOf(json)}</p>
    ${expand ? fields(shown) ?? "" : ""}`;
}
var AUTH_LABELS = {
  staffSession: "a staff session (cookie); changes also need X-CSRF-Token",
  storeToken: "the Store's service token"
};
function who(operation) {
  const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (schemes.length === 0) return html`<p class="who">Open: no credentials needed.</p>`;
  return html`<p class="who">
    Needs ${schemes.map((scheme, i) => html`${i ? " or " : ""}<a href="#auth-${scheme}">${AUTH_LABELS[scheme] ?? scheme}</a>`)}.
  </p>`;
}
function parameters(list) {
  if (!list?.length) return void 0;
  return html`<h4>Parameters</h4>
    <ul class="fields">
      ${list.map(
    (parameter) => html`<li>
            <p class="field-head">
              <code class="field-name">${parameter.name}</code>
              <span class="field-type">${parameter.in}, ${parameter.schema ? typeOf(parameter.schema) : "any"}</span>
              ${parameter.required ? html`<span class="tag tag-required">required</span>` : html`<span class="tag">optional</span>`}
            </p>
            ${parameter.description ? html`<p>${prose(parameter.description)}</p>` : ""}
          </li>`
  )}
    </ul>`;
}
function endpointSection({ method, path, operation, anchor }, schemas) {
  const responses = Object.entries(operation.responses ?? {});
  return html`<article class="endpoint" id="${anchor}" aria-labelledby="${anchor}-title">
    <h3 id="${anchor}-title"><span class="method method-${method}">${method.toUpperCase()}</span> <code class="path">${path}</code></h3>
    ${operation.summary ? html`<p class="summary">${prose(operation.summary)}</p>` : ""}
    ${operation.description ? html`<p>${prose(operation.description)}</p>` : ""} ${who(operation)} ${parameters(operation.parameters) ?? ""}
    ${operation.requestBody ? html`<h4>Request body${operation.requestBody.required ? "" : " (optional)"}</h4>
            ${operation.requestBody.description ? html`<p>${prose(operation.requestBody.description)}</p>` : ""}
            ${body(operation.requestBody.content, schemas, true) ?? ""}` : ""}
    <h4>Responses</h4>
    <dl class="responses">
      ${responses.map(
    ([status, response]) => html`<dt><span class="status status-${status.charAt(0)}xx">${status}</span></dt>
            <dd>
              <p>${prose(response.description)}</p>
              ${body(response.content, schemas, status.startsWith("2")) ?? ""}
            </dd>`
  )}
    </dl>
  </article>`;
}
function endpointsOf(document) {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) => {
    const operations = item;
    return METHODS.flatMap((method) => {
      const operation = operations[method];
      return operation ? [{ method, path, operation, anchor: `op-${slug(`${method} ${path}`)}` }] : [];
    });
  });
}
function renderReference(document, links) {
  const schemas = document.components?.schemas ?? {};
  const endpoints = endpointsOf(document);
  const tags2 = [...new Set(endpoints.map((endpoint) => endpoint.operation.tags?.[0] ?? "Other"))];
  const inTag = (tag) => endpoints.filter((endpoint) => (endpoint.operation.tags?.[0] ?? "Other") === tag);
  const { title, version, description } = document.info;
  return html`<!doctype html>
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>${title} reference</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="${links.stylesheet}" />
      </head>
      <body>
        <header class="page-head">
          <p class="brand">fishtag warehouse</p>
          <h1>${title}</h1>
          <p>${prose(description)}</p>
          <p class="muted">
            Version ${version}. The same, machine-readable: <a href="${links.openApi}">OpenAPI 3.1 document</a>.
            <a href="${links.dashboard}">Staff dashboard</a>.
          </p>
        </header>
        <nav class="toc" aria-label="Endpoints">
          <h2>Endpoints</h2>
          ${tags2.map(
    (tag) => html`<h3>${tag}</h3>
                <ul>
                  ${inTag(tag).map(
      (endpoint) => html`<li>
                        <a href="#${endpoint.anchor}"
                          ><span class="method method-${endpoint.method}">${endpoint.method.toUpperCase()}</span>
                          <code class="path">${endpoint.path}</code></a
                        >
                        <span class="muted">${prose(endpoint.operation.summary)}</span>
                      </li>`
    )}
                </ul>`
  )}
        </nav>
        <main>
          <section aria-labelledby="auth">
            <h2 id="auth">Authentication</h2>
            <dl class="schemes">
              ${Object.entries(document.components?.securitySchemes ?? {}).map(
    ([name, scheme]) => html`<dt id="auth-${name}">${AUTH_LABELS[name] ?? name}</dt>
                    <dd>
                      <p>
                        ${scheme.type === "apiKey" ? html`The <code>${scheme.name ?? ""}</code> ${scheme.in ?? ""}.` : html`<code>Authorization: Bearer &lt;${scheme.bearerFormat ?? "token"}&gt;</code>.`}
                        ${prose(scheme.description)}
                      </p>
                    </dd>`
  )}
            </dl>
          </section>
          ${tags2.map(
    (tag) => html`<section aria-labelledby="tag-${slug(tag)}">
                <h2 id="tag-${slug(tag)}">${tag}</h2>
                ${inTag(tag).map((endpoint) => endpointSection(endpoint, schemas))}
              </section>`
  )}
          <section aria-labelledby="schemas">
            <h2 id="schemas">Schemas</h2>
            ${Object.entries(schemas).map(
    ([name, schema]) => html`<article class="schema" id="${schemaAnchor(name)}">
                  <h3>${name}</h3>
                  ${schema.description ? html`<p>${prose(schema.description)}</p>` : ""}
                  ${fields(schema) ?? html`<p class="field-type">${typeOf(schema)}</p>`}
                </article>`
  )}
          </section>
        </main>
      </body>
    </html>`;
}

// src/docs/docs.routes.ts
var STYLESHEET = "/docs/reference.css";
function docsRoutes(document) {
  const router = new OpenAPIHono2();
  let page;
  router.get("/docs", async (c) => {
    page ??= String(await renderReference(document(), { openApi: "/openapi.json", dashboard: "/", stylesheet: STYLESHEET }));
    c.header("Cache-Control", "no-cache");
    return c.html(page, HTTP.OK);
  });
  router.get(STYLESHEET, (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(REFERENCE_CSS, HTTP.OK);
  });
  return router;
}

// src/health/health.routes.ts
import { createRoute, OpenAPIHono as OpenAPIHono3, z as z2 } from "@hono/zod-openapi";
import { databaseReadiness } from "@fishtag/service-kit/sqlite";

// src/db/client.ts
import { fileURLToPath } from "node:url";
import { openSqlite } from "@fishtag/service-kit/sqlite";

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
import { sql } from "drizzle-orm";
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

// src/staff/roles.ts
var STAFF_ROLES = ["admin", "staff"];

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
  // The search's keys (orders.repo.ts `list`) each have one; the correlation IDs are the trail's
  // (order_events), which holds the order's own as its first event.
  (t) => [
    index("orders_status_id_idx").on(t.status, t.id),
    // One order per store order, whatever Idempotency-Key it came with (orders.repo.ts refuses a second).
    uniqueIndex("orders_store_order_id_unique").on(t.storeOrderId),
    // PO numbers are found in any case: the index holds them as the search compares them, lower().
    index("orders_reference_lower_idx").on(sql`lower(${t.reference})`, t.id),
    index("orders_customer_email_idx").on(t.customerEmail, t.id),
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
  (t) => [
    index("order_events_order_id_idx").on(t.orderId, t.id),
    // The search by any step's correlation ID: one range per ID, ordered by order id, newest order first.
    index("order_events_correlation_id_idx").on(t.correlationId, t.orderId)
  ]
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
    /** The staff action's trace (its W3C headers as JSON): the delivery, and the Store's handling, are spans of it. */
    traceContext: text(),
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
  /** What the account may do (staff/roles.ts). Accounts from before roles existed became admins (migration 0010). */
  role: text({ enum: STAFF_ROLES }).notNull().default("staff"),
  /** Set when an admin disables the account: it cannot sign in, and its sessions were ended then. */
  disabledAt: integer({ mode: "timestamp_ms" }),
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

// src/db/client.ts
var MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));
function openDatabase(path) {
  return openSqlite(path, { schema: schema_exports, migrationsFolder: MIGRATIONS_FOLDER });
}

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
var up = (summary, path) => createRoute({
  method: "get",
  path,
  tags: ["Health"],
  summary,
  responses: {
    [HTTP.OK]: jsonContent(z2.object({ status: z2.literal("ok") }), "Up"),
    [HTTP.SERVICE_UNAVAILABLE]: errorContent("Not ready, and why")
  }
});
var livez = up("Liveness: 200 while the process answers at all", "/livez");
var readyz = up(
  "Readiness: 200 when the database answers and has every migration, and the status-event relay runs (when configured)",
  "/readyz"
);
var healthz = up("The same check as /readyz, under its older name", "/healthz");
function healthRoutes({ db, logger, relayRunning }) {
  const database = databaseReadiness(
    () => db.$client,
    MIGRATIONS_FOLDER,
    (error) => {
      logger.error({ err: error }, "readiness: the database did not answer");
    }
  );
  function notReady() {
    return database() ?? (relayRunning && !relayRunning() ? "The status-event relay is not running." : void 0);
  }
  const ready = (c) => {
    const reason = notReady();
    return reason ? jsonError(c, HTTP.SERVICE_UNAVAILABLE, "unavailable", reason) : c.json({ status: "ok" }, HTTP.OK);
  };
  return new OpenAPIHono3().openapi(livez, (c) => c.json({ status: "ok" }, HTTP.OK)).openapi(readyz, ready).openapi(healthz, ready);
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
import { refusalClock, refusedSpan } from "@fishtag/tracing/spans";

// src/metrics.ts
import { lazyInstruments } from "@fishtag/tracing/metrics";
var warehouseMetrics = lazyInstruments((m) => ({
  ordersCreated: m.createCounter("warehouse.orders.created", { description: "Orders stored, by status (received or rejected)" }),
  transitions: m.createCounter("warehouse.orders.transitions", { description: "Status changes by staff, by from and to" }),
  idempotentReplays: m.createCounter("warehouse.idempotent_replays", { description: "Order creations answered from a stored answer" }),
  tokensRefused: m.createCounter("service_tokens.refused", { description: "Service calls refused, by reason" }),
  signInsThrottled: m.createCounter("warehouse.sign_in.throttled", {
    description: "Sign-ins refused by the throttle or the hashing budget"
  })
}));

// src/middleware/require-store.ts
var STORE_TOKEN_SCHEME = "storeToken";
function requireStore(storePublicKey2, logger) {
  const replay = createReplayGuard();
  return createMiddleware4(async (c, next) => {
    const startedAt = refusalClock();
    const result = await verifyServiceAuthorization(c.req.header("authorization"), {
      key: storePublicKey2,
      issuer: "store-web",
      audience: "warehouse-api",
      request: { method: c.req.method, url: c.req.url },
      replay
    });
    if (!result.ok) {
      refusedSpan("verify service token", startedAt, result.reason);
      warehouseMetrics().tokensRefused.add(1, { reason: result.reason });
    }
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
import { OpenAPIHono as OpenAPIHono4 } from "@hono/zod-openapi";

// src/orders/idempotency.ts
import { createHash } from "node:crypto";
import { z as z3 } from "@hono/zod-openapi";
import { eq, lt, sql as sql2 } from "drizzle-orm";
import { createMiddleware as createMiddleware5 } from "hono/factory";
import { markRefused } from "@fishtag/tracing/spans";
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
function fingerprint(body2) {
  return createHash("sha256").update(JSON.stringify(body2)).digest("base64url");
}
function idempotencyGate(logger) {
  const inFlight = /* @__PURE__ */ new Set();
  return createMiddleware5(async (c, next) => {
    const value = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (value === void 0) {
      markRefused("idempotency_key_missing");
      return jsonError(c, HTTP.BAD_REQUEST, "idempotency_key_missing", "Send an Idempotency-Key header (the Store's order id).");
    }
    const key = parseIdempotencyKey(value);
    if (key === void 0) {
      logger.warn({ invalidLength: value.length }, "invalid idempotency key refused");
      markRefused("idempotency_key_invalid");
      return jsonError(c, HTTP.BAD_REQUEST, "idempotency_key_invalid", "The Idempotency-Key must be 1\u2013255 of [A-Za-z0-9._:-].");
    }
    if (inFlight.has(key)) {
      logger.info({ idempotencyKey: key }, "order creation refused: the same key is in flight");
      markRefused("idempotency_key_in_flight");
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
var requireAdmin = createMiddleware6(async (c, next) => {
  if (sessionOf(c).user.role !== "admin") {
    return jsonError(c, HTTP.FORBIDDEN, "forbidden", "Only an admin can manage staff accounts.");
  }
  await next();
});

// src/orders/orders.repo.ts
import { and as and2, asc as asc2, desc, eq as eq3, inArray, lt as lt3, sql as sql4 } from "drizzle-orm";
import { unionAll } from "drizzle-orm/sqlite-core";
import { v7 as uuidv7 } from "uuid";
import { createGroupCommit, inTransactionSpan } from "@fishtag/service-kit/group-commit";
import { traceContextJson } from "@fishtag/tracing/spans";

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
    traceContext: p2("traceContext"),
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
    /**
     * Call inside the transaction that made the change: the row commits with it or not at all, and with
     * the trace of the request that made it (traceContextJson(), taken outside the transaction's span),
     * which its delivery continues.
     */
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
    /** Rows not delivered yet, rows parked for someone to look at, and when the oldest waiting one was written. */
    backlog() {
      const counts = { pending: 0, parked: 0, oldestPendingAt: null };
      const rows = db.select({ state: statusOutbox.state, count: sql3`count(*)` }).from(statusOutbox).where(sql3`${statusOutbox.state} in ('pending', 'parked')`).groupBy(statusOutbox.state).all();
      for (const { state, count: count2 } of rows) if (state !== "delivered") counts[state] = count2;
      if (counts.pending > 0) {
        const oldest = db.select({ at: sql3`min(${statusOutbox.at})` }).from(statusOutbox).where(eq2(statusOutbox.state, "pending")).get();
        counts.oldestPendingAt = oldest?.at ?? null;
      }
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
    description: "Finds orders by exact match on the order id, the store's order number, the PO number or the customer email (each in any case), or the correlation ID of any event in the order's trail (the checkout that placed it, a staff move, a cancellation). Not a prefix or substring search."
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
      const traceContext = traceContextJson();
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
            traceContext,
            at
          });
          return { kind: "changed", order, from: current2.status };
        }).immediate()
      );
    },
    events(orderId) {
      return db.select().from(orderEvents).where(eq3(orderEvents.orderId, orderId)).orderBy(asc2(orderEvents.id)).all().map(toEvent);
    },
    counts() {
      const counts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0]));
      for (const { status, count: count2 } of db.select().from(orderStatusCounts).all()) counts[status] = count2;
      return counts;
    },
    /**
     * Newest first, keyset-paginated on the time-ordered id: stable while new orders arrive.
     *
     * `q` matches a whole key, as staff paste or read it out: the order id; the store's order number, the
     * PO number and the customer email in any case (upper-case, lower() and lower-case, as each is indexed);
     * or the correlation ID of any event in the order's trail (the checkout that placed it, each staff move,
     * a cancellation). Exact so that a page costs the same at any size: each key is then one index range
     * already ordered by id, and its newest `limit + 1` matches past the cursor are read straight off the
     * index. A prefix, or even a plain OR of the keys, makes SQLite collect every match and sort them all
     * before it can take a page.
     *
     * So each key is searched on its own and the page is taken from their union. The status and cursor
     * go inside every branch: applied after the branch's LIMIT, they could leave a page short. `IN`
     * also shows an order matched by two keys only once.
     */
    list({ status, q, limit, cursor }) {
      const statusIs = status ? eq3(orders.status, status) : void 0;
      const filters = and2(statusIs, cursor ? lt3(orders.id, cursor) : void 0);
      const newestMatching = (key, name) => {
        const branch = db.select({ id: orders.id }).from(orders).where(and2(key, filters)).orderBy(desc(orders.id)).limit(limit + 1).as(name);
        return db.select({ id: branch.id }).from(branch);
      };
      const withEventMatching = (correlationId) => {
        const branch = db.select({ id: orderEvents.orderId }).from(orderEvents).innerJoin(orders, eq3(orders.id, orderEvents.orderId)).where(and2(eq3(orderEvents.correlationId, correlationId), statusIs, cursor ? lt3(orderEvents.orderId, cursor) : void 0)).orderBy(desc(orderEvents.orderId)).limit(limit + 1).as("by_event_correlation_id");
        return db.select({ id: branch.id }).from(branch);
      };
      const where = q ? inArray(
        orders.id,
        unionAll(
          newestMatching(eq3(orders.id, q), "by_id"),
          newestMatching(eq3(orders.storeOrderNumber, q.toUpperCase()), "by_store_order_number"),
          // lower() on both sides, so a reference matches itself whatever SQLite's lower() makes of it.
          newestMatching(sql4`lower(${orders.reference}) = lower(${q})`, "by_reference"),
          newestMatching(eq3(orders.customerEmail, q.toLowerCase()), "by_email"),
          withEventMatching(q)
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
    const send2 = ({ status: status2, body: body2 }) => status2 === HTTP.CREATED ? c.json(body2, HTTP.CREATED) : c.json(body2, HTTP.UNPROCESSABLE_ENTITY);
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
        warehouseMetrics().idempotentReplays.add(1);
        return send2(result.answer);
      case "created": {
        const { order } = result;
        const fields2 = {
          orderId: order.id,
          storeOrderId: order.storeOrderId,
          storeOrderNumber: order.storeOrderNumber,
          batch: result.batchSize
        };
        warehouseMetrics().ordersCreated.add(1, { status: order.status });
        if (rejected) logger.warn(fields2, "order rejected");
        else logger.info({ ...fields2, lines: order.lines.length, totalCents: order.totalCents }, "order received");
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
        warehouseMetrics().transitions.add(1, { from: result.from, to });
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
  const router = new OpenAPIHono4();
  gate(router, createOrder, requireStore(deps.storePublicKey, deps.logger), idempotencyGate(deps.logger));
  for (const route of [listOrders, getOrder, getEvents, transition]) gate(router, route, staffGate);
  return router.openapi(createOrder, handlers.createOrder).openapi(listOrders, handlers.listOrders).openapi(getOrder, handlers.getOrder).openapi(getEvents, handlers.getEvents).openapi(transition, handlers.transition);
}

// src/staff/accounts.routes.ts
import { OpenAPIHono as OpenAPIHono5 } from "@hono/zod-openapi";

// src/staff/accounts.handlers.ts
import { getCookie as getCookie2 } from "hono/cookie";
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
  const refill = () => {
    const at = now();
    creditMs = Math.min(burstMs, creditMs + (at - filledAt) * share);
    filledAt = at;
    return at;
  };
  return {
    /**
     * When a check refused now may come back, in whole seconds: once the bucket is above empty again (a
     * check that took long on a busy machine leaves it further below), or in a second when the checks
     * running are all that stopped it.
     */
    retryAfterSeconds() {
      refill();
      return creditMs > 0 ? 1 : Math.max(1, Math.ceil(-creditMs / share / 1e3));
    },
    /** A slot, given back by calling the returned function (once); undefined when none may start. */
    take() {
      const started = refill();
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

// src/staff/password-guard.ts
var DEFAULT_PASSWORD_CHECKS = { atOnce: 1, share: 0.25, burstMs: 1e3 };
function createPasswordGuard(db, budget = DEFAULT_PASSWORD_CHECKS) {
  return { slots: passwordCheckSlots(budget), throttle: createSignInThrottle(db) };
}
function passwordsBusy(c, message, retryAfterSeconds) {
  c.header("Retry-After", String(retryAfterSeconds));
  return jsonError(c, HTTP.SERVICE_UNAVAILABLE, "busy", message);
}
function tooManyAttempts(c, turn, what) {
  c.header("Retry-After", String(turn.retryAfterSeconds));
  return jsonError(c, HTTP.TOO_MANY_REQUESTS, "too_many_attempts", `Too many ${what}. Try again in ${turn.retryAfterSeconds} seconds.`);
}

// src/staff/accounts.handlers.ts
var toJson = ({ createdAt, ...account }) => ({ ...account, createdAt: createdAt.toISOString() });
function accountsHandlers({ logger, trustedProxies = NO_TRUSTED_PROXIES }, staff, { slots, throttle }) {
  const busy = (c) => {
    logger.warn("password change refused: the password checks are busy");
    return passwordsBusy(c, "Too many password checks at once. Try again in a few seconds.", slots.retryAfterSeconds());
  };
  const unknown = (c, id) => jsonError(c, HTTP.NOT_FOUND, "not_found", `No staff account with id ${id}.`);
  const listAccounts2 = (c) => c.json({ items: staff.listAccounts().map(toJson) }, HTTP.OK);
  const addAccount2 = async (c) => {
    const { user: admin } = sessionOf(c);
    const input = c.req.valid("json");
    if (staff.findUserByEmail(input.email)) {
      return jsonError(c, HTTP.CONFLICT, "email_taken", `There is an account for ${input.email} already.`);
    }
    const release = slots.take();
    if (!release) return busy(c);
    try {
      const user = await staff.addUser(input);
      logger.info({ staffId: admin.id, accountId: user.id, role: user.role }, "staff account added");
      const account = staff.findAccount(user.id);
      if (!account) throw new Error(`staff account ${user.id} is gone right after it was added`);
      return c.json(toJson(account), HTTP.CREATED);
    } finally {
      release();
    }
  };
  const changeAccount2 = (c) => {
    const { user: admin } = sessionOf(c);
    const { id } = c.req.valid("param");
    const change = c.req.valid("json");
    const result = staff.changeAccount(id, change, admin);
    switch (result.kind) {
      case "not_found":
        return unknown(c, id);
      case "own_account":
        return jsonError(c, HTTP.CONFLICT, "own_account", "You cannot disable your own account.");
      case "last_admin":
        return jsonError(c, HTTP.CONFLICT, "last_admin", "This is the last admin: make someone else an admin first.");
      case "changed": {
        const { account, endedSessions } = result;
        logger.info(
          { staffId: admin.id, accountId: id, role: account.role, disabled: account.disabled, endedSessions },
          "staff account changed"
        );
        return c.json(toJson(account), HTTP.OK);
      }
    }
  };
  const resetPassword2 = async (c) => {
    const { user: admin } = sessionOf(c);
    const { id } = c.req.valid("param");
    if (id === admin.id) {
      return jsonError(c, HTTP.CONFLICT, "own_account", "Change your own password under \u201CChange password\u201D: it asks for your current one.");
    }
    if (!staff.findAccount(id)) return unknown(c, id);
    const release = slots.take();
    if (!release) return busy(c);
    try {
      const endedSessions = staff.setPasswordHash(id, await hashPassword(c.req.valid("json").password));
      if (endedSessions === void 0) return unknown(c, id);
      logger.info({ staffId: admin.id, accountId: id, endedSessions }, "staff password reset");
      return c.body(null, HTTP.NO_CONTENT);
    } finally {
      release();
    }
  };
  const changeOwnPassword2 = async (c) => {
    const { user } = sessionOf(c);
    const { currentPassword, newPassword } = c.req.valid("json");
    const release = slots.take();
    if (!release) return busy(c);
    try {
      const turn = await throttle.take(user.email, requestClient(c, trustedProxies).address);
      if (!turn.ok) {
        logger.warn({ staffId: user.id, limit: turn.limit, retryAfterSeconds: turn.retryAfterSeconds }, "password change throttled");
        return tooManyAttempts(c, turn, "wrong passwords");
      }
      const account = staff.findUserByEmail(user.email);
      if (!account || !await verifyPassword(currentPassword, account.passwordHash)) {
        logger.warn({ staffId: user.id }, "password change refused: wrong current password");
        return jsonError(c, HTTP.UNPROCESSABLE_ENTITY, "wrong_password", "That is not your current password.");
      }
      await turn.succeeded();
      const endedSessions = staff.setPasswordHash(user.id, await hashPassword(newPassword), getCookie2(c, SESSION_COOKIE));
      logger.info({ staffId: user.id, accountId: user.id, endedSessions }, "own password changed");
      return c.body(null, HTTP.NO_CONTENT);
    } finally {
      release();
    }
  };
  return { listAccounts: listAccounts2, addAccount: addAccount2, changeAccount: changeAccount2, resetPassword: resetPassword2, changeOwnPassword: changeOwnPassword2 };
}

// src/staff/accounts.openapi.ts
import { createRoute as createRoute3 } from "@hono/zod-openapi";

// src/staff/staff.schemas.ts
import { z as z6 } from "@hono/zod-openapi";
import { createSelectSchema as createSelectSchema2 } from "drizzle-zod";
var userFields = createSelectSchema2(staffUsers).shape;
var NewPasswordSchema = z6.string().min(12, "Use at least 12 characters.").max(200, "Use at most 200 characters.").refine((password) => password.trim() !== "", "Use more than spaces.");
var StaffNameSchema = z6.string().trim().min(1, "Give a name.").max(100, "Use at most 100 characters.");
var StaffEmailSchema = z6.email("Give an email address.").max(254).toLowerCase();
var StaffUserSchema = z6.object({ id: z6.uuid(), email: userFields.email, name: userFields.name, role: userFields.role }).openapi("StaffUser");
var StaffAccountSchema = StaffUserSchema.extend({
  disabled: z6.boolean().openapi({ description: "A disabled account cannot sign in; disabling it ended its sessions." }),
  createdAt: z6.iso.datetime()
}).openapi("StaffAccount");
var StaffAccountsSchema = z6.object({ items: z6.array(StaffAccountSchema) }).openapi("StaffAccounts");
var notTheEmail = (account) => account.password.toLowerCase() !== account.email;
var AddAccountSchema = z6.object({ name: StaffNameSchema, email: StaffEmailSchema, role: userFields.role, password: NewPasswordSchema }).refine(notTheEmail, { path: ["password"], message: "Use something other than the email address." }).openapi("AddStaffAccount");
var ChangeAccountSchema = z6.object({
  role: userFields.role.optional(),
  disabled: z6.boolean().optional().openapi({ description: "true: the account cannot sign in, and its sessions end at once." })
}).refine((change) => change.role !== void 0 || change.disabled !== void 0, { message: "Change the role, disabled, or both." }).openapi("ChangeStaffAccount");
var ResetPasswordSchema = z6.object({ password: NewPasswordSchema }).openapi("ResetStaffPassword");
var OwnPasswordSchema = z6.object({ currentPassword: z6.string().min(1, "Give your current password.").max(200), newPassword: NewPasswordSchema }).refine((change) => change.newPassword !== change.currentPassword, {
  path: ["newPassword"],
  message: "Choose a password other than the current one."
}).openapi("ChangeOwnPassword");
var AccountIdParamsSchema = z6.object({
  id: z6.uuid().openapi({ param: { name: "id", in: "path" } })
});

// src/staff/accounts.openapi.ts
var staffSession2 = [{ [STAFF_SESSION_SCHEME]: [] }];
var tags = ["Staff accounts"];
var ADMINS_ONLY = "Admins only: other staff get 403 `forbidden`.";
var refused = {
  [HTTP.UNAUTHORIZED]: errorContent("No staff session"),
  [HTTP.FORBIDDEN]: errorContent("Not an admin (`forbidden`), or a missing or wrong CSRF token (`csrf_failed`)")
};
var passwordBusy = {
  [HTTP.SERVICE_UNAVAILABLE]: errorContent("Too much password hashing at once (`busy`); see Retry-After")
};
var listAccounts = createRoute3({
  method: "get",
  path: "/api/staff",
  tags,
  summary: "Every staff account, admins first",
  description: ADMINS_ONLY,
  security: staffSession2,
  responses: { [HTTP.OK]: jsonContent(StaffAccountsSchema, "The accounts"), ...refused }
});
var addAccount = createRoute3({
  method: "post",
  path: "/api/staff",
  tags,
  summary: "Add a staff account with its first password (needs X-CSRF-Token)",
  description: `${ADMINS_ONLY} The password is 12\u2013200 characters; its holder can change it once signed in.`,
  security: staffSession2,
  request: { body: jsonContentRequired(AddAccountSchema, "The new account") },
  responses: {
    [HTTP.CREATED]: jsonContent(StaffAccountSchema, "The account, which can sign in at once"),
    [HTTP.BAD_REQUEST]: errorContent("A field is missing or not valid (see `issues`)"),
    ...refused,
    [HTTP.CONFLICT]: errorContent("An account with this email exists already (`email_taken`)"),
    ...passwordBusy
  }
});
var changeAccount = createRoute3({
  method: "patch",
  path: "/api/staff/{id}",
  tags,
  summary: "Change an account's role, or disable or enable it (needs X-CSRF-Token)",
  description: `${ADMINS_ONLY} Disabling an account ends its sessions at once.`,
  security: staffSession2,
  request: { params: AccountIdParamsSchema, body: jsonContentRequired(ChangeAccountSchema, "What changes") },
  responses: {
    [HTTP.OK]: jsonContent(StaffAccountSchema, "The account, changed"),
    [HTTP.BAD_REQUEST]: errorContent("Nothing to change, or not valid (see `issues`)"),
    ...refused,
    [HTTP.NOT_FOUND]: errorContent("No such account"),
    [HTTP.CONFLICT]: errorContent("Disabling your own account (`own_account`), or leaving no enabled admin (`last_admin`)")
  }
});
var resetPassword = createRoute3({
  method: "post",
  path: "/api/staff/{id}/password",
  tags,
  summary: "Set a new password for someone who lost theirs (needs X-CSRF-Token)",
  description: `${ADMINS_ONLY} Their sessions end; tell them the new password.`,
  security: staffSession2,
  request: { params: AccountIdParamsSchema, body: jsonContentRequired(ResetPasswordSchema, "The new password") },
  responses: {
    [HTTP.NO_CONTENT]: { description: "Set; the account's sessions have ended" },
    [HTTP.BAD_REQUEST]: errorContent("Not a valid password (see `issues`)"),
    ...refused,
    [HTTP.NOT_FOUND]: errorContent("No such account"),
    [HTTP.CONFLICT]: errorContent("Your own account (`own_account`): change your own password with your current one instead"),
    ...passwordBusy
  }
});
var changeOwnPassword = createRoute3({
  method: "post",
  path: "/api/account/password",
  tags,
  summary: "Change your own password, with your current one (needs X-CSRF-Token)",
  description: "For every staff member. The current password is checked as a sign-in is: counted by the same throttle, within the same budget. Your other sessions end; this one stays signed in.",
  security: staffSession2,
  request: { body: jsonContentRequired(OwnPasswordSchema, "The current and the new password") },
  responses: {
    [HTTP.NO_CONTENT]: { description: "Changed; your other sessions have ended" },
    [HTTP.BAD_REQUEST]: errorContent("The new password is not valid (see `issues`)"),
    [HTTP.UNAUTHORIZED]: errorContent("No staff session"),
    [HTTP.FORBIDDEN]: errorContent("Missing or wrong CSRF token"),
    [HTTP.UNPROCESSABLE_ENTITY]: errorContent("The current password is wrong (`wrong_password`)"),
    [HTTP.TOO_MANY_REQUESTS]: errorContent("Too many wrong passwords (`too_many_attempts`); see Retry-After"),
    ...passwordBusy
  }
});

// src/staff/accounts.routes.ts
function accountsRoutes(deps, staff, guard, staffGate) {
  const handlers = accountsHandlers(deps, staff, guard);
  const router = new OpenAPIHono5();
  for (const route of [listAccounts, addAccount, changeAccount, resetPassword])
    gate(router, route, staffGate, requireAdmin);
  gate(router, changeOwnPassword, staffGate);
  return router.openapi(listAccounts, handlers.listAccounts).openapi(addAccount, handlers.addAccount).openapi(changeAccount, handlers.changeAccount).openapi(resetPassword, handlers.resetPassword).openapi(changeOwnPassword, handlers.changeOwnPassword);
}

// src/staff/session.routes.ts
import { OpenAPIHono as OpenAPIHono6 } from "@hono/zod-openapi";

// src/staff/session.handlers.ts
import { deleteCookie, getCookie as getCookie3, setCookie } from "hono/cookie";
import { NO_TRUSTED_PROXIES as NO_TRUSTED_PROXIES2 } from "@fishtag/service-kit/client-address";
var DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1e3;
function sessionHandlers({ logger, sessionTtlMs = DEFAULT_SESSION_TTL_MS, trustedProxies = NO_TRUSTED_PROXIES2 }, staff, { slots, throttle }) {
  const signIn2 = async (c) => {
    const { email, password } = c.req.valid("json");
    const client = requestClient(c, trustedProxies);
    const release = slots.take();
    if (!release) {
      logger.warn("sign-in refused: the password checks are busy");
      warehouseMetrics().signInsThrottled.add(1, { reason: "hashing_budget" });
      return passwordsBusy(c, "Too many sign-ins at once. Try again in a few seconds.", slots.retryAfterSeconds());
    }
    try {
      const turn = await throttle.take(email, client.address);
      if (!turn.ok) {
        logger.warn({ limit: turn.limit, retryAfterSeconds: turn.retryAfterSeconds }, "sign-in throttled");
        warehouseMetrics().signInsThrottled.add(1, { reason: turn.limit });
        return tooManyAttempts(c, turn, "sign-in attempts");
      }
      const user = staff.findUserByEmail(email);
      const valid = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
      if (!user || !valid || user.disabledAt !== null) {
        logger.warn({ knownAccount: Boolean(user), disabled: user ? user.disabledAt !== null : void 0 }, "sign-in failed");
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
      const { id, email: userEmail, name, role } = user;
      return c.json({ user: { id, email: userEmail, name, role }, csrfToken: session.csrfToken }, HTTP.OK);
    } finally {
      release();
    }
  };
  const current2 = (c) => {
    const token = getCookie3(c, SESSION_COOKIE);
    const session = token ? staff.findSession(token) : void 0;
    if (!session) return c.json({ user: null, csrfToken: null }, HTTP.OK);
    return c.json({ user: session.user, csrfToken: session.csrfToken }, HTTP.OK);
  };
  const signOut2 = (c) => {
    const { user } = sessionOf(c);
    const token = getCookie3(c, SESSION_COOKIE);
    if (token) staff.deleteSession(token);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    logger.info({ staffId: user.id }, "staff signed out");
    return c.body(null, HTTP.NO_CONTENT);
  };
  return { signIn: signIn2, current: current2, signOut: signOut2 };
}

// src/staff/session.openapi.ts
import { createRoute as createRoute4, z as z7 } from "@hono/zod-openapi";
var SessionSchema = z7.object({ user: StaffUserSchema, csrfToken: z7.string() }).openapi("StaffSession");
var CurrentSessionSchema = z7.union([SessionSchema, z7.object({ user: z7.null(), csrfToken: z7.null() })]).openapi("CurrentStaffSession", { description: "`user` and `csrfToken` are null when nobody is signed in." });
var SignInSchema = z7.object({ email: z7.email().max(254), password: z7.string().min(1).max(200) }).openapi("SignIn");
var signIn = createRoute4({
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
var current = createRoute4({
  method: "get",
  path: "/api/session",
  tags: ["Staff session"],
  summary: "Who is signed in, and the session's CSRF token; nobody is an answer too (open to anyone)",
  responses: { [HTTP.OK]: jsonContent(CurrentSessionSchema, "The session, or `{ user: null, csrfToken: null }`") }
});
var signOut = createRoute4({
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
function sessionRoutes(deps, staff, guard, staffGate) {
  const handlers = sessionHandlers(deps, staff, guard);
  const router = new OpenAPIHono6();
  gate(router, signOut, staffGate);
  return router.openapi(signIn, handlers.signIn).openapi(current, handlers.current).openapi(signOut, handlers.signOut);
}

// src/staff/staff.repo.ts
import { createHash as createHash2, randomBytes as randomBytes2 } from "node:crypto";
import { and as and3, asc as asc3, count, eq as eq4, gt, isNull, lt as lt5, ne } from "drizzle-orm";
import { v7 as uuidv72 } from "uuid";
var sha256 = (token) => createHash2("sha256").update(token).digest("base64url");
var randomToken = () => randomBytes2(32).toString("base64url");
var userColumns = { id: staffUsers.id, email: staffUsers.email, name: staffUsers.name, role: staffUsers.role };
function toAccount(row) {
  return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabledAt !== null, createdAt: row.createdAt };
}
function createStaffRepo(db) {
  const endSessionsOf = (userId, except) => db.delete(staffSessions).where(and3(eq4(staffSessions.userId, userId), except === void 0 ? void 0 : ne(staffSessions.tokenHash, sha256(except)))).run().changes;
  const enabledAdmins = () => db.select({ n: count() }).from(staffUsers).where(and3(eq4(staffUsers.role, "admin"), isNull(staffUsers.disabledAt))).get()?.n ?? 0;
  return {
    async addUser({
      email,
      name,
      password,
      role = "staff"
    }) {
      const user = { id: uuidv72(), email: email.toLowerCase(), name, role };
      db.insert(staffUsers).values({ ...user, passwordHash: await hashPassword(password), createdAt: /* @__PURE__ */ new Date() }).run();
      return user;
    },
    findUserByEmail(email) {
      return db.select().from(staffUsers).where(eq4(staffUsers.email, email.toLowerCase())).get();
    },
    findAccount(id) {
      const row = db.select().from(staffUsers).where(eq4(staffUsers.id, id)).get();
      return row && toAccount(row);
    },
    /** Every account, admins first, then by name. */
    listAccounts() {
      return db.select().from(staffUsers).orderBy(asc3(staffUsers.role), asc3(staffUsers.name), asc3(staffUsers.email)).all().map(toAccount);
    },
    /**
     * An admin's change to an account, in one transaction with its checks: nobody disables their own account,
     * and at least one enabled admin remains. Disabling ends the account's sessions at once.
     */
    changeAccount(id, change, by) {
      return db.$client.transaction(() => {
        const row = db.select().from(staffUsers).where(eq4(staffUsers.id, id)).get();
        if (!row) return { kind: "not_found" };
        if (change.disabled === true && id === by.id) return { kind: "own_account" };
        const wasAdmin = row.role === "admin" && row.disabledAt === null;
        const staysAdmin = (change.role ?? row.role) === "admin" && !(change.disabled ?? row.disabledAt !== null);
        if (wasAdmin && !staysAdmin && enabledAdmins() <= 1) return { kind: "last_admin" };
        const disabledAt = change.disabled === void 0 ? row.disabledAt : change.disabled ? row.disabledAt ?? /* @__PURE__ */ new Date() : null;
        db.update(staffUsers).set({ role: change.role ?? row.role, disabledAt }).where(eq4(staffUsers.id, id)).run();
        const endedSessions = disabledAt === null ? 0 : endSessionsOf(id);
        return { kind: "changed", account: toAccount({ ...row, role: change.role ?? row.role, disabledAt }), endedSessions };
      }).immediate();
    },
    /**
     * Stores a new password hash and ends the account's sessions, but `keepToken`'s (the session that changed
     * its own password stays signed in). Returns how many sessions ended, or undefined for an unknown account.
     */
    setPasswordHash(id, passwordHash, keepToken) {
      return db.$client.transaction(() => {
        const { changes } = db.update(staffUsers).set({ passwordHash }).where(eq4(staffUsers.id, id)).run();
        return changes === 0 ? void 0 : endSessionsOf(id, keepToken);
      }).immediate();
    },
    /** Starts a session; the returned token goes in the cookie and is not stored. */
    createSession(userId, ttlMs) {
      const token = randomToken();
      const now = Date.now();
      const session = { csrfToken: randomToken(), expiresAt: new Date(now + ttlMs) };
      db.insert(staffSessions).values({ tokenHash: sha256(token), userId, createdAt: new Date(now), ...session }).run();
      return { token, ...session };
    },
    /** The live session for a cookie token, or undefined (unknown, expired, or its account disabled). */
    findSession(token) {
      return db.select({ user: userColumns, csrfToken: staffSessions.csrfToken, expiresAt: staffSessions.expiresAt }).from(staffSessions).innerJoin(staffUsers, eq4(staffUsers.id, staffSessions.userId)).where(and3(eq4(staffSessions.tokenHash, sha256(token)), gt(staffSessions.expiresAt, /* @__PURE__ */ new Date()), isNull(staffUsers.disabledAt))).get();
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

// src/traces/traces.routes.ts
import { OpenAPIHono as OpenAPIHono7 } from "@hono/zod-openapi";

// src/lib/fetch-error.ts
function fetchErrorCode(error) {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return "timeout";
    const cause = error.cause;
    if (cause && typeof cause === "object" && "code" in cause && typeof cause.code === "string") return cause.code;
    return error.name;
  }
  return "unknown";
}

// src/traces/traces.schemas.ts
import { z as z8 } from "@hono/zod-openapi";
import { isValidCorrelationId } from "@fishtag/tracing/correlation";
var TracesQuerySchema = z8.object({
  correlationId: z8.string().refine(isValidCorrelationId, "1\u2013128 characters of letters, digits and . _ : -").openapi({
    param: { name: "correlationId", in: "query" },
    description: "A Reference: the correlation ID of an order event (the checkout that placed it, a staff move). 1\u2013128 of `[A-Za-z0-9._:-]`.",
    example: "0190a6e2-7c1d-7000-8000-4c2f6b1e9a01"
  })
});
var TraceSpanSchema = z8.object({
  spanId: z8.string(),
  /** Null for a root, and for a span whose parent is not in the answer (the dashboard's click, say). */
  parentSpanId: z8.string().nullable(),
  service: z8.string(),
  name: z8.string(),
  startMs: z8.number().openapi({ description: "When the span began, in milliseconds after its trace's first span began." }),
  durationMs: z8.number(),
  failure: z8.string().nullable().openapi({
    description: "Why the span failed (its error status message, or the reason of its `refused` event); null when it did not."
  })
}).openapi("TraceSpan");
var TraceSchema = z8.object({
  traceId: z8.string(),
  startedAt: z8.iso.datetime().openapi({ description: "When its first span began." }),
  durationMs: z8.number().openapi({ description: "From its first span's start to its last span's end." }),
  spans: z8.array(TraceSpanSchema).openapi({ description: "Oldest first." })
}).openapi("Trace");
var TracesSchema = z8.object({
  correlationId: z8.string(),
  traces: z8.array(TraceSchema).openapi({ description: "Every trace any of whose spans carries the correlation ID, oldest first." }),
  truncated: z8.boolean().openapi({ description: "True when the receiver left traces or spans out (it answers at most 20 traces of 500 spans)." })
}).openapi("Traces");
var nanos = z8.string().regex(/^\d{1,20}$/);
var ReceiverAnswerSchema = z8.object({
  traces: z8.array(
    z8.object({
      traceId: z8.string().regex(/^[0-9a-f]{32}$/),
      spans: z8.array(
        z8.object({
          spanId: z8.string().regex(/^[0-9a-f]{16}$/),
          parentSpanId: z8.string().nullable(),
          service: z8.string(),
          name: z8.string(),
          startTimeUnixNano: nanos,
          endTimeUnixNano: nanos,
          status: z8.object({ code: z8.int(), message: z8.string().nullable().optional() }),
          events: z8.array(z8.object({ name: z8.string(), attributes: z8.record(z8.string(), z8.unknown()) })).default([])
        })
      )
    })
  ),
  truncated: z8.boolean().default(false)
});

// src/traces/receiver.ts
var DEFAULT_TIMEOUT_MS = 3e3;
async function askReceiver(source, correlationId, send2 = fetch) {
  const url = new URL("/api/traces", source.url);
  url.searchParams.set("correlationId", correlationId);
  let response;
  try {
    response = await send2(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(source.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    });
  } catch (error) {
    return { kind: "unreachable", reason: fetchErrorCode(error) };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { kind: "bad_answer", reason: `status ${String(response.status)}` };
  }
  let body2;
  try {
    body2 = await response.json();
  } catch (error) {
    const reason = fetchErrorCode(error);
    return reason === "timeout" ? { kind: "unreachable", reason } : { kind: "bad_answer", reason: "not JSON" };
  }
  const parsed = ReceiverAnswerSchema.safeParse(body2);
  return parsed.success ? { kind: "found", answer: parsed.data } : { kind: "bad_answer", reason: "not a traces answer" };
}
var STATUS_ERROR = 2;
function failureOf(span) {
  const refused2 = span.events.find((event) => event.name === "refused")?.attributes.reason;
  const reason = typeof refused2 === "string" && refused2 !== "" ? refused2 : null;
  if (span.status.code !== STATUS_ERROR) return reason;
  const message = span.status.message === "" ? void 0 : span.status.message;
  return message ?? reason ?? "failed";
}
var ms = (ns) => Math.round(Number(ns) / 1e3) / 1e3;
function toTrace(traceId, spans) {
  const timed = spans.map((span) => ({ span, start: BigInt(span.startTimeUnixNano), end: BigInt(span.endTimeUnixNano) }));
  const [first] = timed;
  if (!first) return void 0;
  const start = timed.reduce((min, { start: start2 }) => start2 < min ? start2 : min, first.start);
  const end = timed.reduce((max, { end: end2 }) => end2 > max ? end2 : max, first.end);
  return {
    traceId,
    startedAt: new Date(Number(start / 1000000n)).toISOString(),
    durationMs: ms(end - start),
    spans: timed.map(({ span, start: spanStart, end: spanEnd }) => ({
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      service: span.service,
      name: span.name,
      startMs: ms(spanStart - start),
      durationMs: ms(spanEnd > spanStart ? spanEnd - spanStart : 0n),
      failure: failureOf(span)
    }))
  };
}
function toTraces(correlationId, answer) {
  return {
    correlationId,
    traces: answer.traces.flatMap(({ traceId, spans }) => toTrace(traceId, spans) ?? []),
    truncated: answer.truncated
  };
}

// src/traces/traces.handlers.ts
function tracesHandlers({ logger, traces }) {
  const getTraces2 = async (c) => {
    const { correlationId } = c.req.valid("query");
    if (!traces) {
      return jsonError(
        c,
        HTTP.NOT_FOUND,
        "traces_not_collected",
        "This warehouse keeps no traces (WAREHOUSE_TRACES_URL is not set). Its spans go where OTEL_EXPORTER_OTLP_ENDPOINT sends them, Jaeger for example: look the Reference up there."
      );
    }
    const result = await askReceiver(traces, correlationId);
    if (result.kind === "found") return c.json(toTraces(correlationId, result.answer), HTTP.OK);
    logger.warn({ reason: result.reason, receiver: result.kind }, "traces: the trace receiver gave no answer");
    return jsonError(
      c,
      HTTP.BAD_GATEWAY,
      "traces_unavailable",
      result.kind === "unreachable" ? `The trace receiver could not be reached (${result.reason}). Try again in a moment.` : `The trace receiver's answer could not be read (${result.reason}).`
    );
  };
  return { getTraces: getTraces2 };
}

// src/traces/traces.openapi.ts
import { createRoute as createRoute5 } from "@hono/zod-openapi";
var getTraces = createRoute5({
  method: "get",
  path: "/api/traces",
  tags: ["Traces (staff API)"],
  summary: "The spans of a Reference's traces, for the dashboard's waterfall",
  description: "Read from the trace receiver that `npm start` runs (WAREHOUSE_TRACES_URL). A warehouse that sends its spans elsewhere (OTEL_EXPORTER_OTLP_ENDPOINT: Jaeger, Tempo, ...) has none, and answers 404 `traces_not_collected`: look the Reference up there.",
  security: [{ [STAFF_SESSION_SCHEME]: [] }],
  request: { query: TracesQuerySchema },
  responses: {
    [HTTP.OK]: jsonContent(
      TracesSchema,
      "Its traces, oldest first; none yet when their spans have not arrived (they are sent every few seconds)"
    ),
    [HTTP.BAD_REQUEST]: errorContent("Not a correlation ID (see `issues`)"),
    [HTTP.UNAUTHORIZED]: errorContent("No staff session"),
    [HTTP.NOT_FOUND]: errorContent("This warehouse keeps no traces: WAREHOUSE_TRACES_URL is not set (`traces_not_collected`)"),
    [HTTP.BAD_GATEWAY]: errorContent("The trace receiver could not be reached or gave no usable answer (`traces_unavailable`)")
  }
});

// src/traces/traces.routes.ts
function tracesRoutes(deps, staffGate) {
  const handlers = tracesHandlers(deps);
  const router = new OpenAPIHono7();
  gate(router, getTraces, staffGate);
  return router.openapi(getTraces, handlers.getTraces);
}

// src/app.ts
var BODY_LIMIT_BYTES = 64 * 1024;
var OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "fishtag Warehouse API",
    version: "1.0.0",
    description: "Every request may carry `X-Correlation-Id` (1\u2013128 of `[A-Za-z0-9._:-]`); every response carries the ID in use."
  }
};
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
  const app = new OpenAPIHono8({
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
  const passwords = createPasswordGuard(deps.db, deps.passwordChecks);
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
  app.route("/", sessionRoutes(deps, staff, passwords, staffGate));
  app.route("/", accountsRoutes(deps, staff, passwords, staffGate));
  app.route("/", ordersRoutes(deps, staffGate));
  app.route("/", tracesRoutes(deps, staffGate));
  app.doc31("/openapi.json", OPENAPI_DOCUMENT);
  app.route(
    "/",
    docsRoutes(() => app.getOpenAPI31Document(OPENAPI_DOCUMENT))
  );
  const { dashboardDir } = deps;
  app.notFound(
    async (c) => (dashboardDir ? await dashboardNotFound(dashboardDir, c) : void 0) ?? jsonError(c, HTTP.NOT_FOUND, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)
  );
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
function seedOrders(db, count2, seedValue = 42) {
  const rnd = random(seedValue);
  const now = Date.now();
  const times = Array.from({ length: count2 }, () => now - rnd.next() * 90 * DAY).sort((a, b) => a - b);
  for (let start = 0; start < count2; start += BATCH) {
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
var SERVER_KINDS = ["floor", "raw", "app", "quiet", "traced"];
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
  const [kindArg, dirArg, keyArg, prefillArg = "0", otlpUrl2] = process.argv.slice(2);
  const kind2 = SERVER_KINDS.find((k) => k === kindArg);
  const key = keyArg ? parsePublicKey(keyArg) : void 0;
  if (!kind2 || !dirArg || !key?.ok || !process.send) {
    console.error("usage: forked by create-order.ts as `server.ts floor|raw|app <dir> <store public key> [prefill]`");
    process.exit(2);
  }
  return { kind: kind2, dir: dirArg, storePublicKey: key.key, prefill: Number(prefillArg), otlpUrl: otlpUrl2 };
}
var { kind, dir, storePublicKey, prefill, otlpUrl } = parseArgv();
if (kind === "traced") startTracing({ serviceName: "warehouse-api", endpoint: otlpUrl, protocol: "http/protobuf" });
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
  const store = sqlite.transaction((key, fingerprint2, order, body2, createdAtMs) => {
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
    insertKey.run(key, fingerprint2, order.id, 201, body2, createdAtMs);
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
      const body2 = JSON.stringify(order);
      const fingerprint2 = createHash3("sha256").update(raw).digest("base64url");
      if (!store.immediate(key, fingerprint2, order, body2, createdAt)) {
        res.writeHead(409).end();
        return;
      }
      res.writeHead(201, { "content-type": "application/json", "x-correlation-id": order.correlationId }).end(body2);
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
var running = { app: startApp, quiet: startApp, traced: startApp, raw: startRaw, floor: startFloor }[kind]();
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
