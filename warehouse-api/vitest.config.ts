import { defineConfig } from "vitest/config";

import { dialectProjects, sharedWithoutInclude } from "../vitest.shared.js";

/**
 * The suites that reach the database only through the app and the repositories, which run twice: on
 * SQLite, and on Postgres in a throwaway cluster (ADR 0015). The rest read or break SQLite directly
 * (its migrations, query plans, a file swapped under the service) and run on SQLite alone.
 */
const ON_BOTH_DIALECTS = [
  "src/orders/orders.test.ts",
  "src/orders/orders.repo.test.ts",
  "src/orders/idempotency.test.ts",
  "src/orders/transitions.test.ts",
  "src/orders/priority.test.ts",
  "src/staff/session.test.ts",
  "src/staff/accounts.test.ts",
  "src/staff/sign-in-throttle.test.ts",
  "src/status-events/relay.test.ts",
  "src/auth-matrix.test.ts",
  "src/middleware/require-store.test.ts",
  "src/orders/seed.test.ts",
];

/** Postgres's twins of SQLite-only suites (query plans): run in the Postgres project, skipped on SQLite. */
const ON_POSTGRES = ["src/orders/orders.plans.postgres.test.ts"];

export default defineConfig({
  test: {
    ...sharedWithoutInclude,
    projects: dialectProjects([...ON_BOTH_DIALECTS, ...ON_POSTGRES]),
  },
});
