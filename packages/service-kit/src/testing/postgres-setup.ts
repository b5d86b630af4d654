import { inject } from "vitest";

import { TEST_POSTGRES_URL_VARIABLE } from "./postgres-cluster.js";

import type {} from "./postgres-global-setup.js";

// A vitest setup file for a service's Postgres run (vitest.shared.ts's dialectProjects): each test file's
// harness finds the cluster the global setup started under TEST_POSTGRES_URL_VARIABLE, and makes its
// databases in it.
process.env[TEST_POSTGRES_URL_VARIABLE] = inject("postgresUrl");
