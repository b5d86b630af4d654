import { z } from "zod";

import { trustedProxiesField } from "@fishtag/service-kit/client-address";
import { commonEnv, loadEnvOrExit, publicKeyField, signingKeyField } from "@fishtag/service-kit/env";

// The one place the store reads process.env. next.config.ts imports this module, so a bad value fails
// `next build` and the server's start, each with a message naming the variable.
export const EnvSchema = z.object({
  ...commonEnv,
  STORE_PORT: z.coerce.number().int().min(1).max(65_535).default(8000),
  // Record Next.js's own spans too (page components resolved, route modules loaded…): for looking into Next.
  STORE_TRACE_NEXT: z.stringbool().default(false),
  // GET /metrics (Prometheus text) on a port of its own, loopback unless METRICS_HOST opens it; 0: any free port.
  STORE_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9465),
  WAREHOUSE_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:9000"),
  // No unbounded waits on the warehouse: a checkout gives up after this and tells the customer to retry.
  WAREHOUSE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  // How long the circuit stays open (checkouts accepted for later, nothing sent) before one trial order.
  WAREHOUSE_BREAKER_HALF_OPEN_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  // Checkouts one client address may attempt per minute; more get a clear "slow down" with a reference.
  STORE_CHECKOUT_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  // Guest order lookups (email + order number) per 15 minutes: from one client address, and for one order
  // number whoever asks. Beyond them the answer is "try again in n minutes", right details or not.
  STORE_LOOKUP_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(10),
  STORE_LOOKUP_LIMIT_PER_ORDER: z.coerce.number().int().min(1).max(100_000).default(5),
  // The proxies in front of the store whose X-Forwarded-For and X-Forwarded-Proto are believed (a hop
  // count, or addresses and CIDR ranges; off by default): behind a load balancer, each customer keeps
  // their own checkout allowance, and the customer cookie is Secure when they came over https.
  STORE_TRUSTED_PROXIES: trustedProxiesField(),
  // Serves /bench/empty-action, a page whose server action does nothing: the checkout bench's baseline
  // (bench/checkout.ts), which alone sets it. Off (the default), the page and its action answer 404.
  STORE_BENCH_ACTION: z.stringbool().default(false),
  // The store's own database (products, carts, orders). Relative paths are taken from the working
  // directory: store-web/ for `npm start` and `npm run dev` (whose script points it at ../data).
  STORE_DB_PATH: z.string().min(1).default("./data/store.db"),
  // A postgres:// URL puts the store on Postgres (its own database: the warehouse has another); unset, it
  // keeps SQLite at STORE_DB_PATH. The pool holds STORE_DB_POOL_SIZE connections per process.
  STORE_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: "must be a postgres:// URL" }).optional(),
  STORE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  // The store's own Ed25519 private key: every call to the warehouse carries a short-lived token signed
  // with it. Without it the warehouse refuses the store's orders. Optional so `next build` needs no keys.
  STORE_SIGNING_KEY: signingKeyField().optional(),
  // The warehouse's Ed25519 public key: POST /api/warehouse-events accepts only events with a token the
  // warehouse signed. Without it every event is refused (401): the store runs, it just hears of no status
  // changes. Key material is never logged.
  WAREHOUSE_PUBLIC_KEY: publicKeyField().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export const env: Env = loadEnvOrExit(EnvSchema, process.env, "store");
