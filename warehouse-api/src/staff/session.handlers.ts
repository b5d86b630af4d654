import { deleteCookie, getCookie, setCookie } from "hono/cookie";

import { NO_TRUSTED_PROXIES } from "@fishtag/service-kit/client-address";

import type { AppDeps } from "../app-env.js";
import { requestClient } from "../lib/client.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import type { AppRouteHandler } from "../lib/openapi.js";
import { warehouseMetrics } from "../metrics.js";
import { passwordsBusy, tooManyAttempts, type PasswordGuard } from "./password-guard.js";
import { DECOY_HASH, verifyPassword } from "./password.js";
import { SESSION_COOKIE, sessionOf } from "./require-staff.js";
import type * as routes from "./session.openapi.js";
import type { StaffRepo } from "./staff.repo.js";

const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export function sessionHandlers(
  { logger, sessionTtlMs = DEFAULT_SESSION_TTL_MS, trustedProxies = NO_TRUSTED_PROXIES }: AppDeps,
  staff: StaffRepo,
  { slots, throttle }: PasswordGuard,
) {
  const signIn: AppRouteHandler<typeof routes.signIn> = async (c) => {
    const { email, password } = c.req.valid("json");
    const client = requestClient(c, trustedProxies);

    const release = slots.take();
    if (!release) {
      logger.warn("sign-in refused: the password checks are busy");
      warehouseMetrics().signInsThrottled.add(1, { reason: "hashing_budget" });
      return passwordsBusy(c, "Too many sign-ins at once. Try again in a few seconds.", slots.retryAfterSeconds());
    }
    try {
      const turn = await throttle.take(email, client.address);
      if (!turn.ok) {
        logger.warn({ limit: turn.limit, retryAfterSeconds: turn.retryAfterSeconds }, "sign-in throttled");
        warehouseMetrics().signInsThrottled.add(1, { reason: turn.limit });
        return tooManyAttempts(c, turn, "sign-in attempts");
      }

      const user = await staff.findUserByEmail(email);
      // Checked against a decoy when the account does not exist, so both failures take as long. A disabled
      // account is refused after its check, with the same answer: sign-in tells nobody which accounts exist,
      // or which passwords were right (OWASP's generic answer).
      const valid = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
      if (!user || !valid || user.disabledAt !== null) {
        logger.warn({ knownAccount: Boolean(user), disabled: user ? user.disabledAt !== null : undefined }, "sign-in failed");
        return jsonError(c, HTTP.UNAUTHORIZED, "invalid_credentials", "Wrong email or password.");
      }

      await turn.succeeded();
      const session = await staff.createSession(user.id, sessionTtlMs);
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: "Strict",
        // Behind a TLS-terminating proxy the app sees http: the proxy's X-Forwarded-Proto says, if it is trusted.
        secure: new URL(c.req.url).protocol === "https:" || client.forwardedHttps,
        path: "/",
        expires: session.expiresAt,
      });
      logger.info({ staffId: user.id }, "staff signed in");
      const { id, email: userEmail, name, role } = user;
      return c.json({ user: { id, email: userEmail, name, role }, csrfToken: session.csrfToken }, HTTP.OK);
    } finally {
      release();
    }
  };

  // Anyone may ask: the dashboard asks on every start, and "nobody" is an answer, not an error (a 401 here
  // was a red line in every signed-out browser's console).
  const current: AppRouteHandler<typeof routes.current> = async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await staff.findSession(token) : undefined;
    if (!session) return c.json({ user: null, csrfToken: null }, HTTP.OK);
    return c.json({ user: session.user, csrfToken: session.csrfToken }, HTTP.OK);
  };

  const signOut: AppRouteHandler<typeof routes.signOut> = async (c) => {
    const { user } = sessionOf(c);
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await staff.deleteSession(token);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    logger.info({ staffId: user.id }, "staff signed out");
    return c.body(null, HTTP.NO_CONTENT);
  };

  return { signIn, current, signOut };
}
