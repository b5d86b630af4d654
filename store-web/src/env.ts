import { z } from "zod";

import { envKey, parsePublicKey, parseSigningKey, type KeyParse } from "@fishtag/service-auth/keys";

// An Ed25519 key as base64 of its PEM (see @fishtag/service-auth/keys); a bad one names the problem, never the value.
const key = (parse: (value: string) => KeyParse) => z.string().transform((value, ctx) => envKey(parse, value, ctx) ?? z.NEVER);

// The one place the store reads process.env. next.config.ts imports this module, so a bad value fails
// `next build` and the server's start, each with a message naming the variable.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  STORE_PORT: z.coerce.number().int().min(1).max(65_535).default(8000),
  WAREHOUSE_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:9000"),
  // No unbounded waits on the warehouse: a checkout gives up after this and tells the customer to retry.
  WAREHOUSE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  // How long the circuit stays open (checkouts accepted for later, nothing sent) before one trial order.
  WAREHOUSE_BREAKER_HALF_OPEN_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  // Checkouts one client address may attempt per minute; more get a clear "slow down" with a reference.
  STORE_CHECKOUT_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FILE: z.string().min(1).optional(),
  // The store's own database (products, carts, orders). Relative paths are taken from the working
  // directory: store-web/ for `npm start` and `npm run dev` (whose script points it at ../data).
  STORE_DB_PATH: z.string().min(1).default("./data/store.db"),
  // The store's own Ed25519 private key: every call to the warehouse carries a short-lived token signed
  // with it. Without it the warehouse refuses the store's orders. Optional so `next build` needs no keys.
  STORE_SIGNING_KEY: key(parseSigningKey).optional(),
  // The warehouse's Ed25519 public key: POST /api/warehouse-events accepts only events with a token the
  // warehouse signed. Without it every event is refused (401): the store runs, it just hears of no status
  // changes. Key material is never logged.
  WAREHOUSE_PUBLIC_KEY: key(parsePublicKey).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid store environment:\n${problems}`);
  }
  return result.data;
}

export const env = parseEnv(process.env);
