/**
 * `npm run dev`: `turbo run dev` (both services and the dashboard with reload) with what they need to
 * talk to each other: the dashboard's account, the store's URL for status events and their shared
 * secret, the same ones `npm start` uses.
 */
import { spawn } from "node:child_process";
import { REPO_ROOT } from "./paths.js";
import { adminAccount, eventsSecret } from "./secrets.js";

const admin = adminAccount();
const turbo = spawn("npx", ["turbo", "run", "dev"], {
  cwd: REPO_ROOT,
  stdio: "inherit",
  env: {
    ...process.env,
    WAREHOUSE_ADMIN_EMAIL: admin.email,
    WAREHOUSE_ADMIN_PASSWORD: admin.password,
    STORE_URL: process.env.STORE_URL ?? `http://localhost:${process.env.STORE_PORT ?? "8000"}`,
    WAREHOUSE_EVENTS_SECRET: eventsSecret(),
  },
});
turbo.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
// Ctrl-C reaches turbo through the terminal's process group; a plain kill of this process is passed on.
process.on("SIGTERM", () => turbo.kill("SIGTERM"));
