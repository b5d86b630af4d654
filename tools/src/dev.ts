/**
 * `npm run dev`: `turbo run dev` (both services and the dashboard with reload) with what they need to
 * talk to each other: the dashboard's account, the store's URL for status events and the service keys
 * (each its own private key, the other's public key), the same ones `npm start` uses. turbo starts both
 * services from one environment, so in development each process can see the other's private key too;
 * `npm start` and the images hand each service only its own.
 */
import { spawn } from "node:child_process";

import { REPO_ROOT } from "./paths.js";
import { adminAccount, newKeysNotice, serviceKeys } from "./secrets.js";

const admin = adminAccount();
const keys = serviceKeys();
const notice = newKeysNotice(keys);
if (notice.length > 0) console.log(["", ...notice, ""].join("\n"));
const turbo = spawn("npx", ["turbo", "run", "dev"], {
  cwd: REPO_ROOT,
  stdio: "inherit",
  env: {
    ...process.env,
    WAREHOUSE_ADMIN_EMAIL: admin.email,
    WAREHOUSE_ADMIN_PASSWORD: admin.password,
    STORE_URL: process.env.STORE_URL ?? `http://localhost:${process.env.STORE_PORT ?? "8000"}`,
    ...keys.warehouse,
    ...keys.store,
  },
});
turbo.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
// Ctrl-C reaches turbo through the terminal's process group; a plain kill of this process is passed on.
process.on("SIGTERM", () => turbo.kill("SIGTERM"));
