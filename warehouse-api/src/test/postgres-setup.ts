import { inject } from "vitest";

import type {} from "@fishtag/service-kit/testing/postgres-global-setup";

import { TEST_POSTGRES_URL_VARIABLE } from "../testing.js";

// The Postgres run's test warehouses each get a database in the cluster its global setup started.
process.env[TEST_POSTGRES_URL_VARIABLE] = inject("postgresUrl");
