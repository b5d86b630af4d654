import { z } from "zod";

// The one place the store reads process.env. next.config.ts imports this module, so a bad value fails
// `next build` and the server's start, each with a message naming the variable.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  STORE_PORT: z.coerce.number().int().min(1).max(65_535).default(8000),
  WAREHOUSE_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:9000"),
  // No unbounded waits on the warehouse: a checkout gives up after this and tells the customer to retry.
  WAREHOUSE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  // Checkouts one client address may attempt per minute; more get a clear "slow down" with a reference.
  STORE_CHECKOUT_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FILE: z.string().min(1).optional(),
  // The store's own database (products, carts, orders). Relative paths are taken from the working
  // directory: store-web/ for `npm start` and `npm run dev` (whose script points it at ../data).
  STORE_DB_PATH: z.string().min(1).default("./data/store.db"),
  // The bearer secret the warehouse's status events carry. Without it, POST /api/warehouse-events
  // refuses every event (401): the store runs, it just hears of no status changes. Never logged.
  WAREHOUSE_EVENTS_SECRET: z.string().min(32, "Use at least 32 characters.").optional(),
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
