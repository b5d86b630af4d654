/**
 * What every workspace's vitest config shares. The timeouts are a backstop, not a speed check (speed is
 * the benchmarks' job): on a shared two-core CI machine that builds Next and runs Playwright alongside,
 * a test doing real crypto (scrypt, signatures) or I/O has taken over the 5 s default; a test that hangs
 * still fails.
 */
export const sharedTestOptions = {
  include: ["src/**/*.test.ts"],
  testTimeout: 30_000,
  hookTimeout: 30_000,
};
