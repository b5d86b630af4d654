// One server of the create-order benchmark, run as a child process of create-order.ts so it has an event
// loop (and, on a multi-core machine, a core) of its own: `server.ts raw|app <dir>`.
//
//   app: the full warehouse app as production runs it with LOG_FILE set (JSON log lines at info, no stdout),
//        without a tracer provider (its spans are no-ops).
//   quiet: the app with logging off. traced: the app with tracing on, exporting every span over OTLP
//        (http/protobuf, batched, as production) to a sink in the bench's own process.
//   raw: node:http and better-sqlite3 doing the same storage work per request, with no framework,
//        validation or logging, on a database opened the same way (schema, pragmas).
//   floor: node:http and better-sqlite3 storing each order's JSON with one INSERT, nothing else: what the
//        machine can do at all.

import { createHash, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

import { serve } from "@hono/node-server";
import { v7 as uuidv7 } from "uuid";

import { parsePublicKey } from "@fishtag/service-auth/keys";
import { limitHeapGrowth } from "@fishtag/service-kit/heap";
import { createLogger, type Logger } from "@fishtag/tracing/logger";
import { startTracing } from "@fishtag/tracing/otel";

import { createApp } from "../src/app.js";
import { openSqliteDatabase, type Db } from "../src/db/client.js";
import type { CreateOrderInput, Order } from "../src/orders/orders.schemas.js";
import { answerRounds, countLines, rssKb, sendToParent } from "./child-process.js";
import { rawTokenValid, SERVER_KINDS, type ChildMessage, type ServerKind } from "./protocol.js";

function parseArgv(): { kind: ServerKind; dir: string; storePublicKey: KeyObject; otlpUrl: string | undefined } {
  const [kindArg, dirArg, keyArg, otlpUrl] = process.argv.slice(2);
  const kind = SERVER_KINDS.find((k) => k === kindArg);
  const key = keyArg ? parsePublicKey(keyArg) : undefined;
  if (!kind || !dirArg || !key?.ok || !process.send) {
    console.error("usage: forked by create-order.ts as `server.ts floor|raw|app|quiet|traced <dir> <store public key> [otlp url]`");
    process.exit(2);
  }
  return { kind, dir: dirArg, storePublicKey: key.key, otlpUrl };
}

const { kind, dir, storePublicKey, otlpUrl } = parseArgv();
// As src/index.ts starts the service, and for every server alike: their peaks and CPU compare one heap policy.
limitHeapGrowth();

// Before the app is built, as index.ts does it.
if (kind === "traced") startTracing({ serviceName: "warehouse-api", endpoint: otlpUrl, protocol: "http/protobuf" });

/** The warehouse's database in this server's folder (with orders in it already for --prefill: create-order.ts). */
function openBenchDatabase(file: string): Db {
  return openSqliteDatabase(join(dir, file));
}

const send = (message: ChildMessage, then?: () => void) => {
  sendToParent(message, then);
};

type Running = { server: Server; db: Db; logger: Logger | undefined; logFile: string | undefined };

function startApp(): Running {
  const logFile = join(dir, "app.log");
  const logger = createLogger({ service: "warehouse-api", level: kind === "quiet" ? "silent" : "info", file: logFile, stdout: false });
  const db = openBenchDatabase("app.db");
  // "F" is the production default, and the benchmark's reference does not start with it: every order is received.
  const app = createApp({ db: { dialect: "sqlite", db }, logger, rejectPrefix: "F", storePublicKey });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, listening) as Server;
  return { server, db, logger, logFile };
}

function startRaw(): Running {
  const db = openBenchDatabase("raw.db");
  const sqlite = db.$client;
  const insertOrder = sqlite.prepare(
    `INSERT INTO orders (id, store_order_id, store_order_number, reference, status, customer_name, customer_email,
       shipping_line1, shipping_line2, shipping_city, shipping_postal_code, shipping_country, subtotal_cents,
       shipping_cents, vat_cents, total_cents, correlation_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvent = sqlite.prepare(
    `INSERT INTO order_events (order_id, type, from_status, to_status, actor, reason, correlation_id, at)
     VALUES (?, 'created', NULL, ?, 'store', NULL, ?, ?)`,
  );
  const countIn = sqlite.prepare(
    "INSERT INTO order_status_counts (status, count) VALUES (?, 1) ON CONFLICT(status) DO UPDATE SET count = count + 1",
  );
  const findKey = sqlite.prepare("SELECT fingerprint, status, body FROM idempotency_keys WHERE key = ?");
  const insertKey = sqlite.prepare(
    "INSERT INTO idempotency_keys (key, fingerprint, order_id, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const insertLine = sqlite.prepare(
    "INSERT INTO order_lines (order_id, line_no, sku, name, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?, ?)",
  );
  // Same work as the repo's createOnce: look the Idempotency-Key up, then the order, its lines, its first
  // event, the status count and the key with its answer, in one IMMEDIATE transaction. A known key gets a
  // bare 409: the benchmark never repeats one, so only the look-up's cost matters here.
  const store = sqlite.transaction((key: string, fingerprint: string, order: Order, body: string, createdAtMs: number) => {
    if (findKey.get(key) !== undefined) return false;
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
      createdAtMs,
    );
    order.lines.forEach((line, index) => {
      insertLine.run(order.id, index + 1, line.sku, line.name, line.quantity, line.unitPriceCents);
    });
    insertEvent.run(order.id, order.status, order.correlationId, createdAtMs);
    countIn.run(order.status);
    insertKey.run(key, fingerprint, order.id, 201, body, createdAtMs);
    return true;
  });

  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/api/orders") {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
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
      let input: CreateOrderInput;
      try {
        // Trusted input on purpose: the baseline measures the floor, validation is part of what the app adds.
        input = JSON.parse(raw.toString("utf8")) as CreateOrderInput;
      } catch {
        res.writeHead(400).end();
        return;
      }
      const correlationId = req.headers["x-correlation-id"];
      const createdAt = Date.now();
      const order: Order = {
        id: uuidv7(),
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
        priority: false,
        createdAt: new Date(createdAt).toISOString(),
        updatedAt: new Date(createdAt).toISOString(),
      };
      const body = JSON.stringify(order);
      // The raw bytes hashed: the app hashes its validated input, the same amount of work for one order.
      const fingerprint = createHash("sha256").update(raw).digest("base64url");
      if (!store.immediate(key, fingerprint, order, body, createdAt)) {
        res.writeHead(409).end();
        return;
      }
      res.writeHead(201, { "content-type": "application/json", "x-correlation-id": order.correlationId }).end(body);
    });
  });
  server.listen(0, "127.0.0.1", () => {
    listening(server.address() as AddressInfo);
  });
  return { server, db, logger: undefined, logFile: undefined };
}

function startFloor(): Running {
  const db = openSqliteDatabase(join(dir, "floor.db"));
  const sqlite = db.$client;
  sqlite.exec("CREATE TABLE floor_orders (id TEXT PRIMARY KEY, store_order_id TEXT NOT NULL, body TEXT NOT NULL) STRICT");
  const insert = sqlite.prepare("INSERT INTO floor_orders (id, store_order_id, body) VALUES (?, ?, ?)");
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let storeOrderId: unknown;
      try {
        ({ storeOrderId } = JSON.parse(text) as { storeOrderId?: unknown });
      } catch {
        res.writeHead(400).end();
        return;
      }
      const id = uuidv7();
      insert.run(id, String(storeOrderId), text);
      const correlationId = req.headers["x-correlation-id"];
      res
        .writeHead(201, { "content-type": "application/json", "x-correlation-id": typeof correlationId === "string" ? correlationId : id })
        .end(JSON.stringify({ id, storeOrderId, correlationId }));
    });
  });
  server.listen(0, "127.0.0.1", () => {
    listening(server.address() as AddressInfo);
  });
  return { server, db, logger: undefined, logFile: undefined };
}

function listening({ port }: AddressInfo) {
  send({ type: "ready", port, rssKb: rssKb() });
}

const running: Running = { app: startApp, quiet: startApp, traced: startApp, raw: startRaw, floor: startFloor }[kind]();

answerRounds(running.server, (handled) => {
  running.server.close();
  running.server.closeAllConnections();
  const sqlite = running.db.$client;
  const table = kind === "floor" ? "floor_orders" : "orders";
  const counts = sqlite.prepare(`SELECT count(*) AS orders, count(DISTINCT store_order_id) AS ids FROM ${table}`).get() as {
    orders: number;
    ids: number;
  };
  sqlite.close();
  const finish = () => {
    const logLines = running.logFile ? countLines(running.logFile) : null;
    // Exit only once the message is out; a CPU profile (--cpu-prof) is written on this exit too.
    send({ type: "closed", orders: counts.orders, distinctStoreOrderIds: counts.ids, logLines, handled }, () => process.exit(0));
  };
  if (running.logger) running.logger.flush(finish);
  else finish();
});
