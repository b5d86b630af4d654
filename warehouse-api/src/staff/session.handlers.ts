import { deleteCookie, getCookie, setCookie } from "hono/cookie";

import { NO_TRUSTED_PROXIES } from "@fishtag/service-kit/client-address";

import type { AppDeps } from "../app-env.js";
import { requestClient } from "../lib/client.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import type { AppRouteHandler } from "../lib/openapi.js";
import { warehouseMetrics } from "../metrics.js";
import { DECOY_HASH, passwordCheckSlots, verifyPassword, type PasswordCheckBudget } from "./password.js";
import { SESSION_COOKIE, sessionOf } from "./require-staff.js";
import type * as routes from "./session.openapi.js";
import { createSignInThrottle } from "./sign-in-throttle.js";
import type { StaffRepo } from "./staff.repo.js";

const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/**
 * One scrypt check at a time leaves three of libuv's four threads to the order path, and a quarter of one
 * core leaves the rest of a small machine to it too. At 50–100 ms a check, that is ten or more sign-ins
 * in a row, then two to five a second, for a dashboard a handful of staff use.
 */
const DEFAULT_PASSWORD_CHECKS: PasswordCheckBudget = { atOnce: 1, share: 0.25, burstMs: 1000 };

export function sessionHandlers(
  {
    db,
    logger,
    sessionTtlMs = DEFAULT_SESSION_TTL_MS,
    trustedProxies = NO_TRUSTED_PROXIES,
    passwordChecks = DEFAULT_PASSWORD_CHECKS,
  }: AppDeps,
  staff: StaffRepo,
) {
  const throttle = createSignInThrottle(db);
  const slots = passwordCheckSlots(passwordChecks);

  const signIn: AppRouteHandler<typeof routes.signIn> = async (c) => {
    const { email, password } = c.req.valid("json");
    const client = requestClient(c, trustedProxies);

    const release = slots.take();
    if (!release) {
      logger.warn("sign-in refused: the password checks are busy");
      warehouseMetrics().signInsThrottled.add(1, { reason: "hashing_budget" });
      c.header("Retry-After", "1");
      return jsonError(c, HTTP.SERVICE_UNAVAILABLE, "busy", "Too many sign-ins at once. Try again in a second.");
    }
    try {
      const turn = await throttle.take(email, client.address);
      if (!turn.ok) {
        logger.warn({ limit: turn.limit, retryAfterSeconds: turn.retryAfterSeconds }, "sign-in throttled");
        warehouseMetrics().signInsThrottled.add(1, { reason: turn.limit });
        c.header("Retry-After", String(turn.retryAfterSeconds));
        return jsonError(
          c,
          HTTP.TOO_MANY_REQUESTS,
          "too_many_attempts",
          `Too many sign-in attempts. Try again in ${turn.retryAfterSeconds} seconds.`,
        );
      }

      const user = staff.findUserByEmail(email);
      // Checked against a decoy when the account does not exist, so both failures take as long.
      const valid = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
      if (!user || !valid) {
        logger.warn({ knownAccount: Boolean(user) }, "sign-in failed");
        return jsonError(c, HTTP.UNAUTHORIZED, "invalid_credentials", "Wrong email or password.");
      }

      await turn.succeeded();
      const session = staff.createSession(user.id, sessionTtlMs);
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: "Strict",
        // Behind a TLS-terminating proxy the app sees http: the proxy's X-Forwarded-Proto says, if it is trusted.
        secure: new URL(c.req.url).protocol === "https:" || client.forwardedHttps,
        path: "/",
        expires: session.expiresAt,
      });
      logger.info({ staffId: user.id }, "staff signed in");
      return c.json({ user: { email: user.email, name: user.name }, csrfToken: session.csrfToken }, HTTP.OK);
    } finally {
      release();
    }
  };

  const current: AppRouteHandler<typeof routes.current> = (c) => {
    const { user, csrfToken } = sessionOf(c);
    return c.json({ user: { email: user.email, name: user.name }, csrfToken }, HTTP.OK);
  };

  const signOut: AppRouteHandler<typeof routes.signOut> = (c) => {
    const { user } = sessionOf(c);
    const token = getCookie(c, SESSION_COOKIE);
    if (token) staff.deleteSession(token);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    logger.info({ staffId: user.id }, "staff signed out");
    return c.body(null, HTTP.NO_CONTENT);
  };

  return { signIn, current, signOut };
}
