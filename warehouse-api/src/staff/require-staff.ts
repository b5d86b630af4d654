import { timingSafeEqual } from "node:crypto";

import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";

import type { AppEnv } from "../app-env.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import type { Session, StaffRepo } from "./staff.repo.js";

export const SESSION_COOKIE = "fishtag_session";
export const STAFF_SESSION_SCHEME = "staffSession";
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function sameToken(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The staff routes' gate: 401 without a live session. A state-changing request must also echo the
 * session's CSRF token in X-CSRF-Token: a page on another site can make the browser send the cookie,
 * but cannot read the token (SameSite=Strict on the cookie is the second line of defence).
 */
export function requireStaff(staff: StaffRepo) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await staff.findSession(token) : undefined;
    if (!session) return jsonError(c, HTTP.UNAUTHORIZED, "unauthenticated", "Sign in to continue.");
    if (!SAFE_METHODS.has(c.req.method) && !sameToken(c.req.header(CSRF_HEADER) ?? "", session.csrfToken)) {
      return jsonError(c, HTTP.FORBIDDEN, "csrf_failed", "This request did not carry the session's CSRF token.");
    }
    c.set("session", session);
    await next();
  });
}

/** The signed-in staff member, on a route behind requireStaff. */
export function sessionOf(c: Context<AppEnv>): Session {
  const session = c.get("session");
  if (!session) throw new Error("a staff route is missing its requireStaff middleware");
  return session;
}

/**
 * The admins' gate, after requireStaff: 403 for any other staff member. The dashboard shows them no account
 * management; this is what holds when someone calls the API anyway.
 */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (sessionOf(c).user.role !== "admin") {
    return jsonError(c, HTTP.FORBIDDEN, "forbidden", "Only an admin can manage staff accounts.");
  }
  await next();
});
