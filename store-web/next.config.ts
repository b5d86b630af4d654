import type { NextConfig } from "next";
// Importing the env module here makes `next build` and the server's start fail on a bad variable.
import "./src/env";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Loaded by Node, not bundled: pino's streams stay intact, and the tracing package (its
  // AsyncLocalStorage above all) is one instance shared by the proxy, the app and server.ts.
  serverExternalPackages: ["@fishtag/tracing", "pino", "pino-pretty"],
};

export default config;
