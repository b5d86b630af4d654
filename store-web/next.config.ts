import type { NextConfig } from "next";

// Importing the env module here makes `next build` and the server's start fail on a bad variable.
import "./src/env";

import { SECURITY_HEADERS } from "./src/lib/security-headers";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The build type-checks what it builds, not the tests (`npm run typecheck` checks those), so turbo's
  // build inputs, which leave tests out, are the whole truth about what the build depends on.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // Loaded by Node, not bundled: pino's streams stay intact, and the tracing package (its
  // AsyncLocalStorage above all) is one instance shared by the proxy, the app and server.ts.
  // better-sqlite3 is a native addon; drizzle-orm and service-kit (which opens the database with them)
  // stay with it, so the process's one connection (src/db/db.server.ts) is used through one copy of
  // drizzle, the one server.ts migrated it with.
  serverExternalPackages: ["@fishtag/tracing", "@fishtag/service-kit", "pino", "pino-pretty", "better-sqlite3", "drizzle-orm"],
  headers: () => Promise.resolve([{ source: "/:path*", headers: [...SECURITY_HEADERS] }]),
};

export default config;
