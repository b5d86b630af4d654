import type { NextConfig } from "next";
// Importing the env module here makes `next build` and the server's start fail on a bad variable.
import "./src/env";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Loaded by Node, not bundled: pino's streams stay intact, and the tracing package (its
  // AsyncLocalStorage above all) is one instance shared by the proxy, the app and server.ts.
  // better-sqlite3 is a native addon; drizzle-orm stays with it so the connection on globalThis (see
  // src/db/db.server.ts) is used through one copy of drizzle, the one server.ts migrated it with.
  serverExternalPackages: ["@fishtag/tracing", "pino", "pino-pretty", "better-sqlite3", "drizzle-orm"],
};

export default config;
