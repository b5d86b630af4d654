import { defineConfig } from "vitest/config";

import { sharedTestOptions } from "../vitest.shared.js";

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
];

// Each project names its own files: an `include` at the root would be added to the Postgres project's.
const { include, ...shared } = sharedTestOptions;

export default defineConfig({
  test: {
    ...shared,
    projects: [
      { extends: true, test: { name: "sqlite", include } },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ON_BOTH_DIALECTS,
          globalSetup: ["@fishtag/service-kit/testing/postgres-global-setup"],
          setupFiles: ["./src/test/postgres-setup.ts"],
        },
      },
    ],
  },
});
