import { defineConfig } from "@playwright/test";

import type { StackDatabase } from "./fixtures/stack";

const CI = Boolean(process.env.CI);

// `npm run test:faults`: the tests that kill processes (faults/). No browser: they drive the store's
// pages over plain HTTP, as a browser without JavaScript would, which makes a thousand checkouts affordable.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no test-scoped options, only the worker one
export default defineConfig<{}, { database: StackDatabase }>({
  testDir: "./faults",
  // Every fault with both services on SQLite, then again on Postgres (ADR 0015); the replicas test runs on
  // Postgres only, since replicas need a database they can share.
  projects: [
    { name: "sqlite", testIgnore: "replicas.spec.ts" },
    { name: "postgres", use: { database: "postgres" } },
  ],
  // One at a time: each starts its own store and warehouse, and load from another test would blur its figures.
  workers: 1,
  fullyParallel: false,
  forbidOnly: CI,
  retries: 0,
  // Each test bounds its own work by count; this is the backstop if a service hangs.
  timeout: 300_000,
  expect: { timeout: 10_000 },
  reporter: "list",
});
