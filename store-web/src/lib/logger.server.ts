import { createLogger, type Logger } from "@fishtag/tracing/logger";

import { env } from "../env";

// Next bundles the proxy, the pages and the custom server separately; one logger per process keeps a
// single file handle and a single configuration whichever bundle asks first.
const globalForLogger = globalThis as typeof globalThis & { __fishtagStoreLogger?: Logger };

export const logger: Logger = (globalForLogger.__fishtagStoreLogger ??= createLogger({
  service: "store-web",
  level: env.LOG_LEVEL,
  file: env.LOG_FILE,
  pretty: env.NODE_ENV === "development",
}));
