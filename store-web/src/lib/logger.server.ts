import { createLogger, type Logger } from "@fishtag/tracing/logger";

import { env } from "../env";
import { remember } from "./singleton.server";

// One logger per process: a single file handle and configuration, whichever bundle asks first.
export const logger: Logger = remember("logger", () =>
  createLogger({ service: "store-web", level: env.LOG_LEVEL, file: env.LOG_FILE, pretty: env.NODE_ENV === "development" }),
);
