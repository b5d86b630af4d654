import type { KeyObject } from "node:crypto";

import { createMiddleware } from "hono/factory";

import { verifyServiceAuthorization, type ReplayGuard } from "@fishtag/service-auth/tokens";
import type { Logger } from "@fishtag/tracing/logger";
import { refusalClock, refusedSpan } from "@fishtag/tracing/spans";

import type { AppEnv } from "../app-env.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import { warehouseMetrics } from "../metrics.js";

export const STORE_TOKEN_SCHEME = "storeToken";

/**
 * The service API's gate: 401 unless the call carries a token the Store signed for this warehouse and
 * this call (iss store-web, aud warehouse-api, htm/htu this method and path, under a minute old; see
 * @fishtag/service-auth). Without the
 * Store's public key every call is refused. A token is good for one call: the same token again is
 * refused as replayed (the Store signs each call, retries included), on any replica (`replay`:
 * token-guard.ts). The reason is logged as a
 * category, never the token.
 */
export function requireStore(storePublicKey: KeyObject | undefined, logger: Logger, replay: ReplayGuard) {
  return createMiddleware<AppEnv>(async (c, next) => {
    // A span only for a token refused, which is when a trace needs it: on every call it was one of the three
    // spans per order, and tracing cost 1.19x the untraced CPU per order against 1.08x without it (npm run bench -- --tracing).
    const startedAt = refusalClock();
    const result = await verifyServiceAuthorization(c.req.header("authorization"), {
      key: storePublicKey,
      issuer: "store-web",
      audience: "warehouse-api",
      request: { method: c.req.method, url: c.req.url },
      replay,
    });
    if (!result.ok) {
      refusedSpan("verify service token", startedAt, result.reason);
      warehouseMetrics().tokensRefused.add(1, { reason: result.reason });
    }
    if (!result.ok) {
      logger.warn({ reason: result.reason, path: new URL(c.req.url).pathname }, "service call refused: not authenticated");
      return jsonError(
        c,
        HTTP.UNAUTHORIZED,
        "unauthenticated",
        "A valid service token from the store is required (Authorization: Bearer <jwt>).",
      );
    }
    await next();
  });
}
