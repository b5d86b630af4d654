// The augmented module must be part of the program: nothing else here (tests aside) imports it.
import type {} from "vitest";

import type { TestProject } from "vitest/node";

import { startThrowawayPostgres } from "./postgres-cluster.js";

declare module "vitest" {
  // An interface, not a type: vitest's ProvidedContext is extended by declaration merging.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface ProvidedContext {
    /** The throwaway cluster's maintenance database; make your own with `createDatabase(inject("postgresUrl"))`. */
    postgresUrl: string;
  }
}

/**
 * A vitest global setup (`test.globalSetup: ["@fishtag/service-kit/testing/postgres-global-setup"]`) that
 * starts one throwaway cluster for the whole run, before any worker, and stops it after the last file.
 * Test files read its URL with `inject("postgresUrl")` and make their own database in it (see
 * `createDatabase` in ./postgres-cluster), so none depends on another's data or on the order they run in.
 * A test file that needs the `postgresUrl` type imports this module's types: `import type {} from
 * "@fishtag/service-kit/testing/postgres-global-setup"`.
 *
 * It always starts (vitest runs a global setup only when some test is queued): one to two seconds on a
 * run that has tests anyway, against an opt-in variable that turbo's strict env mode would have to be
 * told about and that a developer would have to know to set.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startThrowawayPostgres();
  project.provide("postgresUrl", cluster.url);
  return () => cluster.stop();
}
