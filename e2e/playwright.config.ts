import { defineConfig, devices } from "@playwright/test";

import { findChromium } from "./browser";

const CI = Boolean(process.env.CI);

export default defineConfig({
  testDir: "./tests",
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
