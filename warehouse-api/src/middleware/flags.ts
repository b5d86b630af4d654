import { createMiddleware } from "hono/factory";

import { readFlags, runWithFlags } from "@fishtag/tracing/flags";
import type { Logger } from "@fishtag/tracing/logger";

import type { AppEnv } from "../app-env.js";

/**
 * The feature flags a request came with (W3C baggage `fishtag.flags`, README "Feature flags"), checked once
 * here: the rest of the request runs with only the known flags in its baggage, on its span and its log
 * lines. A malformed entry is dropped with a warning that gives its length only, never its value, and the
 * request goes on as if it had sent none. Only the Store's order creation acts on a flag, and only after
 * its token is checked; a flag from anyone else is recorded and does nothing.
 */
export function flags(logger: Logger) {
  return createMiddleware<AppEnv>(async (_c, next) => {
    const inbound = readFlags();
    if (inbound.malformed) logger.warn({ flagsLength: inbound.malformed.length }, "malformed fishtag.flags baggage entry dropped");
    await runWithFlags(inbound.flags, next);
  });
}
