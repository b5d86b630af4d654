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

/**
 * The two projects of a service that runs on SQLite and on Postgres (ADR 0015): every suite on SQLite,
 * and `onBothDialects` once more on Postgres, in a throwaway cluster service-kit's global setup starts for
 * the run and its setup file hands to the service's test harness. Each project names its own files: an
 * `include` at the root would be added to the Postgres project's.
 */
export function dialectProjects(onBothDialects: string[]) {
  return [
    { extends: true as const, test: { name: "sqlite", include: sharedTestOptions.include } },
    {
      extends: true as const,
      test: {
        name: "postgres",
        include: onBothDialects,
        globalSetup: ["@fishtag/service-kit/testing/postgres-global-setup"],
        setupFiles: ["@fishtag/service-kit/testing/postgres-setup"],
      },
    },
  ];
}

/** sharedTestOptions for a config whose projects name their files (dialectProjects). */
export const { include: _include, ...sharedWithoutInclude } = sharedTestOptions;
