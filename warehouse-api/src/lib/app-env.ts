import type { Logger } from "@fishtag/tracing/logger";
import type { Db } from "../db/client.js";

/** What the app is built from: everything with a side effect is passed in, so tests can pass their own. */
export type AppDeps = {
  db: Db;
  logger: Logger;
  /** Orders whose reference starts with this (case-insensitive) are rejected; empty disables. */
  rejectPrefix: string;
  /** Stack traces in 500 answers: development only. */
  exposeErrors?: boolean;
};

/** Hono's typed context: what middleware puts on `c` for the handlers. */
export type AppEnv = {
  Variables: {
    correlationId: string;
  };
};
