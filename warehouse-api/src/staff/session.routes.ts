import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

import type { AppDeps, AppEnv } from "../lib/app-env.js";
import { ErrorSchema, jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import { DECOY_HASH, verifyPassword } from "./password.js";
import { SESSION_COOKIE, sessionOf } from "./require-staff.js";
import type { StaffRepo, ThrottleRule } from "./staff.repo.js";

const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** Guessing one account's password: a handful of tries per quarter hour. */
export const ACCOUNT_THROTTLE: ThrottleRule = { maxFailures: 5, windowMs: 15 * 60 * 1000 };
/** Spraying many accounts from one client: more room (a shared office address), same window. */
export const CLIENT_THROTTLE: ThrottleRule = { maxFailures: 20, windowMs: 15 * 60 * 1000 };

const SessionSchema = z.object({ user: z.object({ email: z.string(), name: z.string() }), csrfToken: z.string() }).openapi("StaffSession");

export type SessionResponse = z.infer<typeof SessionSchema>;

const SignInSchema = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) }).openapi("SignIn");

const json = <T>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });

/** The peer's address; app.request() in tests has no socket (and no env) at all. */
function clientAddress(c: Context<AppEnv>): string {
  const bindings = c.env as AppEnv["Bindings"] | undefined;
  return bindings?.incoming?.socket.remoteAddress ?? "in-process";
}

export function sessionRoutes(
  { logger, sessionTtlMs = DEFAULT_SESSION_TTL_MS }: AppDeps,
  staff: StaffRepo,
  gate: MiddlewareHandler<AppEnv>,
) {
  const signIn = createRoute({
    method: "post",
    path: "/api/session",
    tags: ["Staff session"],
    summary: "Sign in (sets the session cookie)",
    request: { body: { ...json(SignInSchema, "Credentials"), required: true } },
    responses: {
      [HTTP.OK]: json(SessionSchema, "Signed in"),
      [HTTP.BAD_REQUEST]: json(ErrorSchema, "Malformed"),
      [HTTP.UNAUTHORIZED]: json(ErrorSchema, "Wrong email or password"),
      [HTTP.TOO_MANY_REQUESTS]: json(ErrorSchema, "Too many failed attempts; see Retry-After"),
    },
  });
  const current = createRoute({
    method: "get",
    path: "/api/session",
    tags: ["Staff session"],
    summary: "The signed-in staff member and the CSRF token",
    middleware: gate,
    responses: { [HTTP.OK]: json(SessionSchema, "Signed in"), [HTTP.UNAUTHORIZED]: json(ErrorSchema, "Not signed in") },
  });
  const signOut = createRoute({
    method: "delete",
    path: "/api/session",
    tags: ["Staff session"],
    summary: "Sign out (needs X-CSRF-Token)",
    middleware: gate,
    responses: {
      [HTTP.NO_CONTENT]: { description: "Signed out" },
      [HTTP.UNAUTHORIZED]: json(ErrorSchema, "Not signed in"),
      [HTTP.FORBIDDEN]: json(ErrorSchema, "Missing or wrong CSRF token"),
    },
  });

  return new OpenAPIHono<AppEnv>()
    .openapi(signIn, async (c) => {
      const { email, password } = c.req.valid("json");
      const keys = { account: `account:${email.toLowerCase()}`, client: `client:${clientAddress(c)}` };
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
    })
    .openapi(current, (c) => {
      const { user, csrfToken } = sessionOf(c);
      return c.json({ user: { email: user.email, name: user.name }, csrfToken }, HTTP.OK);
    })
    .openapi(signOut, (c) => {
      const { user } = sessionOf(c);
      const token = getCookie(c, SESSION_COOKIE);
      if (token) staff.deleteSession(token);
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      logger.info({ staffId: user.id }, "staff signed out");
      return c.body(null, HTTP.NO_CONTENT);
    });
}
