import { z } from "zod";

import { trustedProxiesField } from "@fishtag/service-kit/client-address";
import { commonEnv, loadEnvOrExit, publicKeyField, signingKeyField } from "@fishtag/service-kit/env";

import { NewPasswordSchema } from "./staff/staff.schemas.js";

// The one place the warehouse reads process.env: parsed once at start-up, typed everywhere else.
export const EnvSchema = z
  .object({
    ...commonEnv,
    WAREHOUSE_PORT: z.coerce.number().int().min(1).max(65_535).default(9000),
    // Prometheus metrics (GET /metrics) on a listener of their own; 0 picks a free port.
    WAREHOUSE_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
    WAREHOUSE_DB_PATH: z.string().min(1).default("./data/warehouse.db"),
    // A postgres:// URL puts the warehouse on Postgres (its own database: the store has another); unset,
    // it keeps SQLite at WAREHOUSE_DB_PATH. The pool holds WAREHOUSE_DB_POOL_SIZE connections per process.
    WAREHOUSE_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: "must be a postgres:// URL" }).optional(),
    WAREHOUSE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    // Orders whose reference starts with this (case-insensitive) are rejected: the seed's failure switch.
    // Empty disables it.
    WAREHOUSE_REJECT_PREFIX: z.string().max(16).regex(/^\S*$/, "must not contain spaces").default("F"),
    // The first staff account, created at start-up when no account has this email yet.
    WAREHOUSE_ADMIN_EMAIL: z.email().optional(),
    WAREHOUSE_ADMIN_PASSWORD: NewPasswordSchema.optional(),
    WAREHOUSE_SESSION_TTL_HOURS: z.coerce
      .number()
      .min(0.1)
      .max(24 * 30)
      .default(8),
    // Where status events go (the Store's base URL, e.g. http://localhost:8000) and the warehouse's own
    // Ed25519 private key, which signs a short-lived token per event for the Store to check. Both set: the
    // relay sends them; neither: they wait in the outbox. Key material is never logged.
    STORE_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
    WAREHOUSE_SIGNING_KEY: signingKeyField().optional(),
    // The Store's Ed25519 public key: order creation accepts only calls with a token it signed. Unset, every
    // such call is refused (401).
    STORE_PUBLIC_KEY: publicKeyField().optional(),
    // How often the relay looks for status events that are due.
    WAREHOUSE_RELAY_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    // The OTLP receiver `npm start` runs (tools/src/otlp-receiver.ts), whose spans GET /api/traces reads for
    // the dashboard's waterfall. Unset (spans sent to Jaeger or another backend, or nowhere): the dashboard
    // says traces are not kept here.
    WAREHOUSE_TRACES_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
    // The proxies in front of the warehouse, whose X-Forwarded-For and X-Forwarded-Proto are believed: a hop
    // count or addresses and CIDR ranges. Unset, nobody's are: the socket's peer is the client.
    WAREHOUSE_TRUSTED_PROXIES: trustedProxiesField(),
  })
  .refine((env) => (env.WAREHOUSE_ADMIN_EMAIL === undefined) === (env.WAREHOUSE_ADMIN_PASSWORD === undefined), {
    path: ["WAREHOUSE_ADMIN_PASSWORD"],
    message: "set both WAREHOUSE_ADMIN_EMAIL and WAREHOUSE_ADMIN_PASSWORD, or neither",
  })
  .superRefine((env, ctx) => {
    // Named after the one that is missing.
    if ((env.STORE_URL === undefined) === (env.WAREHOUSE_SIGNING_KEY === undefined)) return;
    ctx.addIssue({
      code: "custom",
      path: [env.STORE_URL === undefined ? "STORE_URL" : "WAREHOUSE_SIGNING_KEY"],
      message: "set both STORE_URL and WAREHOUSE_SIGNING_KEY, or neither",
    });
  });

export type Env = z.infer<typeof EnvSchema>;

/** For the entry points (the server, the CLIs): the parsed environment, or each bad variable printed and exit code 1. */
export function loadEnv(): Env {
  return loadEnvOrExit(EnvSchema, process.env, "warehouse");
}
