import { defineConfig } from "@playwright/test";

const CI = Boolean(process.env.CI);

// `npm run test:faults`: the tests that kill processes (faults/). No browser: they drive the store's
// pages over plain HTTP, as a browser without JavaScript would, which makes a thousand checkouts affordable.
export default defineConfig({
  testDir: "./faults",
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
