import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // A backstop, not a speed check (speed is the benchmarks' job): on a shared two-core CI machine that
    // builds Next and runs Playwright alongside, a test doing real crypto (scrypt, signatures) or I/O has
    // taken over the 5 s default; a test that hangs still fails.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The store's logger reads LOG_LEVEL through the env module like in production; tests keep it quiet.
    env: { LOG_LEVEL: "silent" },
  },
});
