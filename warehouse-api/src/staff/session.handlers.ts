import { deleteCookie, getCookie, setCookie } from "hono/cookie";

import type { AppDeps, AppEnv } from "../app-env.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import type { AppRouteHandler } from "../lib/openapi.js";
import { DECOY_HASH, verifyPassword } from "./password.js";
import { SESSION_COOKIE, sessionOf } from "./require-staff.js";
import type * as routes from "./session.openapi.js";
import type { StaffRepo, ThrottleRule } from "./staff.repo.js";

const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** Guessing one account's password: a handful of tries per quarter hour. */
export const ACCOUNT_THROTTLE: ThrottleRule = { maxFailures: 5, windowMs: 15 * 60 * 1000 };
/** Spraying many accounts from one client: more room (a shared office address), same window. */
export const CLIENT_THROTTLE: ThrottleRule = { maxFailures: 20, windowMs: 15 * 60 * 1000 };

/** The peer's address; app.request() in tests has no socket (and no env) at all, whatever `c.env`'s type says. */
function clientAddress(bindings: AppEnv["Bindings"] | undefined): string {
  return bindings?.incoming?.socket.remoteAddress ?? "in-process";
}

export function sessionHandlers({ logger, sessionTtlMs = DEFAULT_SESSION_TTL_MS }: AppDeps, staff: StaffRepo) {
  const signIn: AppRouteHandler<typeof routes.signIn> = async (c) => {
    const { email, password } = c.req.valid("json");
    const keys = { account: `account:${email.toLowerCase()}`, client: `client:${clientAddress(c.env)}` };
    const wait = Math.max(staff.retryAfterSeconds(keys.account, ACCOUNT_THROTTLE), staff.retryAfterSeconds(keys.client, CLIENT_THROTTLE));
    if (wait > 0) {
      logger.warn({ retryAfterSeconds: wait }, "sign-in throttled");
      c.header("Retry-After", String(wait));
      return jsonError(c, HTTP.TOO_MANY_REQUESTS, "too_many_attempts", `Too many failed sign-ins. Try again in ${wait} seconds.`);
    }

    const user = staff.findUserByEmail(email);
    // Checked against a decoy when the account does not exist, so both failures take as long.
    const valid = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
    if (!user || !valid) {
      staff.recordFailure(keys.account, ACCOUNT_THROTTLE);
      staff.recordFailure(keys.client, CLIENT_THROTTLE);
      logger.warn({ knownAccount: Boolean(user) }, "sign-in failed");
      return jsonError(c, HTTP.UNAUTHORIZED, "invalid_credentials", "Wrong email or password.");
    }

    staff.clearFailures(keys.account);
    const session = staff.createSession(user.id, sessionTtlMs);
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: "Strict",
      secure: new URL(c.req.url).protocol === "https:",
      path: "/",
      expires: session.expiresAt,
    });
    logger.info({ staffId: user.id }, "staff signed in");
    return c.json({ user: { email: user.email, name: user.name }, csrfToken: session.csrfToken }, HTTP.OK);
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
