import type { KeyObject } from "node:crypto";

import type { HttpBindings } from "@hono/node-server";

import type { TrustedProxies } from "@fishtag/service-kit/client-address";
import type { Logger } from "@fishtag/tracing/logger";

import type { Database } from "./db/client.js";
import type { PasswordCheckBudget } from "./staff/password.js";
import type { Session } from "./staff/staff.repo.js";
import type { TracesSource } from "./traces/receiver.js";

/** What the app is built from: everything with a side effect is passed in, so tests can pass their own. */
export type AppDeps = {
  /** The warehouse's own database, SQLite or Postgres (db/client.ts). */
  db: Database;
  logger: Logger;
  /** The Store's public key: service calls (order creation) must carry a token it signed. None: all refused. */
  storePublicKey: KeyObject | undefined;
  /** Orders whose reference starts with this (case-insensitive) are rejected; empty disables. */
  rejectPrefix: string;
  /** Stack traces in 500 answers: development only. */
  exposeErrors?: boolean;
  /** How long a staff sign-in lasts (default 8 hours). */
  sessionTtlMs?: number;
  /** Which peers are proxies whose X-Forwarded-For and -Proto are believed (default: none). */
  trustedProxies?: TrustedProxies;
  /** How much password work (sign-ins, password changes) may run (default: one at a time, a quarter of a core); beyond it, 503 (staff/password.ts says why). */
  passwordChecks?: PasswordCheckBudget;
  /** Whether the status-event relay runs, for /readyz; left out when none is configured (nothing to wait for). */
  relayRunning?: () => boolean;
  /** The trace receiver GET /api/traces reads (WAREHOUSE_TRACES_URL); left out: traces are not kept here (404). */
  traces?: TracesSource | undefined;
  /** The built staff dashboard (vite build), served at `/`; left out when not built. */
  dashboardDir?: string | undefined;
};

/** Hono's typed context: what middleware puts on `c` for the handlers. */
export type AppEnv = {
  // Absent when the app is called in-process (tests use app.request).
  Bindings: Partial<HttpBindings>;
  Variables: {
    correlationId: string;
    /** Set by requireStaff on the staff routes. */
    session?: Session;
    /** Set by idempotencyGate on order creation: the caller's Idempotency-Key, held for this request. */
    idempotencyKey?: string;
  };
};
