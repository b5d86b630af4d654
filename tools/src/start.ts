/**
 * `npm start`: both services in production mode, as two processes, the way they would be deployed.
 * SQLite files and JSON log files go under ./data; the logs also stream to this terminal.
 * (The root script builds first: `turbo run build`.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

import { DATA_DIR, LOG_DIR, REPO_ROOT } from "./paths.js";
import { ADMIN_FILE, adminAccount, KEYS_DIR, newKeysNotice, serviceKeys } from "./secrets.js";

const admin = adminAccount();
const keys = serviceKeys();
const warehousePort = process.env.WAREHOUSE_PORT ?? "9000";
const storePort = process.env.STORE_PORT ?? "8000";

const services = [
  {
    name: "warehouse-api",
    entry: join(REPO_ROOT, "warehouse-api/dist/index.js"),
    env: {
      WAREHOUSE_PORT: warehousePort,
      WAREHOUSE_DB_PATH: process.env.WAREHOUSE_DB_PATH ?? join(DATA_DIR, "warehouse.db"),
      WAREHOUSE_ADMIN_EMAIL: admin.email,
      WAREHOUSE_ADMIN_PASSWORD: admin.password,
      STORE_URL: process.env.STORE_URL ?? `http://localhost:${storePort}`,
      // Its own private key (signs status events) and the store's public key (checks orders).
      ...keys.warehouse,
      LOG_FILE: join(LOG_DIR, "warehouse-api.log"),
    },
  },
  {
    name: "store-web",
    entry: join(REPO_ROOT, "store-web/dist/server.js"),
    env: {
      STORE_PORT: storePort,
      WAREHOUSE_URL: process.env.WAREHOUSE_URL ?? `http://localhost:${warehousePort}`,
      STORE_DB_PATH: process.env.STORE_DB_PATH ?? join(DATA_DIR, "store.db"),
      // Its own private key (signs orders) and the warehouse's public key (checks status events).
      ...keys.store,
      LOG_FILE: join(LOG_DIR, "store-web.log"),
    },
  },
];

const children = new Map<string, ChildProcess>();
let stopping = false;

function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children.values()) child.kill("SIGTERM");
}

for (const service of services) {
  const child = spawn(process.execPath, [service.entry], {
    cwd: join(REPO_ROOT, service.name),
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...service.env },
    stdio: "inherit",
  });
  children.set(service.name, child);
  child.on("exit", (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      console.error(`${service.name} stopped (${signal ?? `exit code ${String(code)}`}); stopping the other service.`);
      stopAll(1);
    }
  });
}

console.log(
  [
    "",
    `  Store      http://localhost:${storePort}/`,
    `  Warehouse  http://localhost:${warehousePort}/  (staff dashboard: sign in as ${admin.email}; password in ${ADMIN_FILE})`,
    `             API contract: http://localhost:${warehousePort}/openapi.json`,
    `  Logs       ${LOG_DIR}`,
    `  Keys       ${KEYS_DIR}  (each service signs its calls to the other; public keys in *.pub)`,
    "  Follow an order across both services: npm run trace -- <ST-000001 | support reference>",
    ...newKeysNotice(keys),
    "",
  ].join("\n"),
);

process.once("SIGINT", () => {
  stopAll(0);
});
process.once("SIGTERM", () => {
  stopAll(0);
});
