/**
 * `npm start`: builds, then runs both services in production mode as two processes, the way they would be
 * deployed, under a small supervisor (supervisor.ts): stopping one leaves the other running, and one that
 * crashes is started again. SQLite files and JSON log files go under ./data; the terminal shows the same
 * log lines in readable form.
 */
import { join } from "node:path";

import { buildWithProgress } from "./build-progress.js";
import { DATA_DIR, LOG_DIR, REPO_ROOT, SPANS_FILE } from "./paths.js";
import { readableLogs } from "./readable-logs.js";
import { ADMIN_FILE, adminAccount, KEYS_DIR, newKeysNotice, serviceKeys } from "./secrets.js";
import { openSpanStore } from "./span-store.js";
import { Supervisor, type ServiceSpec, type SupervisorEvent } from "./supervisor.js";

const warehousePort = process.env.WAREHOUSE_PORT ?? "9000";
const storePort = process.env.STORE_PORT ?? "8000";
const storeUrl = `http://localhost:${storePort}`;
const warehouseUrl = `http://localhost:${warehousePort}`;
const interactive = process.stdin.isTTY && process.stdout.isTTY;

if (!(await buildWithProgress())) process.exit(1);
// Imported once the build is done: the receiver uses @fishtag/tracing, whose modules are its build's
// output (packages/tracing/dist), which a fresh clone does not have before this first build.
const { startOtlpReceiver } = await import("./otlp-receiver.js");

const admin = adminAccount();
const keys = serviceKeys();

// Traces: to the OTLP endpoint the environment names, or else to a small receiver in this process that
// keeps them in data/traces.db for `npm run trace` (no trace backend needed to see one).
const spanStore = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? undefined : openSpanStore(SPANS_FILE);
const receiver = spanStore && (await startOtlpReceiver(spanStore, 0));
const tracingEnv = receiver ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" } : {};

function serviceSpec(name: string, entry: string, env: NodeJS.ProcessEnv): ServiceSpec {
  return {
    name,
    command: process.execPath,
    args: [join(REPO_ROOT, entry)],
    cwd: join(REPO_ROOT, name),
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...tracingEnv, ...env },
  };
}

const services = [
  serviceSpec("warehouse-api", "warehouse-api/dist/index.js", {
    WAREHOUSE_PORT: warehousePort,
    WAREHOUSE_DB_PATH: process.env.WAREHOUSE_DB_PATH ?? join(DATA_DIR, "warehouse.db"),
    WAREHOUSE_ADMIN_EMAIL: admin.email,
    WAREHOUSE_ADMIN_PASSWORD: admin.password,
    STORE_URL: process.env.STORE_URL ?? storeUrl,
    // Its own private key (signs status events) and the store's public key (checks orders).
    ...keys.warehouse,
    LOG_FILE: join(LOG_DIR, "warehouse-api.log"),
    // The dashboard's waterfall reads the spans this process keeps; spans sent elsewhere are read there.
    ...(receiver ? { WAREHOUSE_TRACES_URL: receiver.url } : {}),
  }),
  serviceSpec("store-web", "store-web/dist/server.js", {
    STORE_PORT: storePort,
    WAREHOUSE_URL: process.env.WAREHOUSE_URL ?? warehouseUrl,
    STORE_DB_PATH: process.env.STORE_DB_PATH ?? join(DATA_DIR, "store.db"),
    // Its own private key (signs orders) and the warehouse's public key (checks status events).
    ...keys.store,
    LOG_FILE: join(LOG_DIR, "store-web.log"),
  }),
];

/** Resolves once `url` answers at all (any status): the service is listening and has finished starting. */
async function answering(url: string): Promise<void> {
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const KEYS: Record<string, string> = { w: "warehouse-api", s: "store-web" };
const keyOf = (service: string) => Object.entries(KEYS).find(([, name]) => name === service)?.[0] ?? "";

let quitting = false;

function describe(event: SupervisorEvent): string {
  const again = interactive ? ` Press ${keyOf(event.service)} to start it again.` : "";
  const other = services.find(({ name }) => name !== event.service)?.name ?? "";
  switch (event.type) {
    case "started":
      return `${event.service} started (pid ${String(event.pid)})`;
    case "stopped":
      return `${event.service} stopped; ${other} keeps running.${again}`;
    case "crashed":
      return `${event.service} crashed (${event.how}); starting it again in ${String(event.restartInMs / 1000)} s`;
    case "gave-up":
      return `${event.service} crashed (${event.how}) at every start; leaving it stopped.${again}`;
  }
}

const format = readableLogs({ colorize: process.stdout.isTTY });
const supervisor = new Supervisor(services, {
  onEvent: (event) => {
    if (!quitting) console.log(`\n  » ${describe(event)}\n`);
  },
  onLine: (service, line) => {
    const shown = format(service, line);
    if (shown !== undefined) console.log(shown);
  },
});
supervisor.startAll();

async function quit(): Promise<void> {
  if (quitting) return;
  quitting = true;
  console.log("\n  » stopping both services (each finishes the requests it has taken)\n");
  await supervisor.stopAll();
  receiver?.server.close();
  spanStore?.close();
  process.exit(0);
}

if (interactive) {
  // Keys instead of Ctrl-C's signal: in raw mode the terminal sends no SIGINT to the services, so this
  // process decides which one stops.
  process.stdin.setRawMode(true);
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (key: string) => {
    const service = KEYS[key.toLowerCase()];
    if (service) void supervisor.toggle(service);
    else if (key === "q" || key === "\u0003") void quit();
  });
}
process.once("SIGINT", () => void quit());
process.once("SIGTERM", () => void quit());

// The addresses are printed once both services answer, so the first click on them works.
await Promise.all([`${storeUrl}/api/health`, `${warehouseUrl}/healthz`].map((url) => answering(url)));
console.log(
  [
    "",
    `  Store      ${storeUrl}/`,
    `  Dashboard  ${warehouseUrl}/  (sign in as ${admin.email}; the password is in ${ADMIN_FILE})`,
    `  API        ${warehouseUrl}/openapi.json`,
    `  Logs       ${LOG_DIR}  (JSON lines; this terminal shows them readable)`,
    receiver
      ? `  Traces     ${SPANS_FILE}  (kept by a local OTLP receiver, shown in the dashboard's order history; OTEL_EXPORTER_OTLP_ENDPOINT sends them elsewhere)`
      : `  Traces     sent to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? ""}`,
    `  Keys       ${KEYS_DIR}  (each service signs its calls to the other; public keys in *.pub)`,
    "  Follow an order across both services: npm run trace -- <ST-000001 | support reference | trace id>",
    interactive
      ? "  Try        w stops or starts the warehouse (the store keeps taking orders), s the store, q quits"
      : "  Try        stopping one service with kill <pid>; the other keeps running. A crashed one is started again.",
    ...newKeysNotice(keys),
    "",
  ].join("\n"),
);
