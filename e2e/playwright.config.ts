import { defineConfig, devices } from "@playwright/test";

import { findChromium } from "./browser";
import type { StackDatabase } from "./fixtures/stack";

const CI = Boolean(process.env.CI);

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no test-scoped options, only the worker one
export default defineConfig<{}, { database: StackDatabase }>({
  testDir: "./tests",
  // Every test with both services on SQLite (the default), and again with both on Postgres (ADR 0015)
  // each that reaches code written per dialect: the order flow (checkout, status events, the dashboard
  // that moves it), the catalog, the guest lookup and its limit, the checkout limit, staff accounts and
  // the dashboard's search. Left out: layout (screenshots), observability (it swaps SQLite's file), and the
  // specs whose database work those above already do (auth, links, traces, the priority flag).
  projects: [
    { name: "sqlite" },
    {
      name: "postgres",
      use: { database: "postgres" },
      testMatch: [
        "checkout.spec.ts",
        "order-status.spec.ts",
        "dashboard.spec.ts",
        "catalog.spec.ts",
        "find-order.spec.ts",
        "security.spec.ts",
        "dashboard-accounts.spec.ts",
        "dashboard-search.spec.ts",
      ],
    },
  ],
  // Each worker starts its own store and warehouse; on two cores one worker is both fast and steady.
  workers: 1,
  fullyParallel: false,
  forbidOnly: CI,
  // No retries: a test that passes on its second try is a flaky test, and CI should say so.
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    ...devices["Desktop Chrome"],
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: findChromium(),
      // Sandboxing needs privileges CI containers lack; the rest stops Chromium calling home on a closed network.
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
