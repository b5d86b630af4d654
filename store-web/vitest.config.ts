import { defineConfig } from "vitest/config";

import { dialectProjects, sharedWithoutInclude } from "../vitest.shared.js";

/**
 * The suites that reach the database only through the repositories, which run twice: on SQLite, and on
 * Postgres in a throwaway cluster (ADR 0015). The rest run on SQLite alone.
 */
const ON_BOTH_DIALECTS = [
  "src/cart/cart.repo.test.ts",
  "src/order-outbox/order-outbox.repo.test.ts",
  "src/orders/orders.repo.test.ts",
  "src/orders/order-api.test.ts",
  "src/orders/find-order.test.ts",
  "src/warehouse/status-events.test.ts",
];

export default defineConfig({
  test: {
    ...sharedWithoutInclude,
    // The store's logger reads LOG_LEVEL through the env module like in production; tests keep it quiet.
    env: { LOG_LEVEL: "silent" },
    projects: dialectProjects(ON_BOTH_DIALECTS),
  },
});
