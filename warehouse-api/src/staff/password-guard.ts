import type { Context } from "hono";

import type { AppEnv } from "../app-env.js";
import type { Database } from "../db/client.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import { passwordCheckSlots, type PasswordCheckBudget } from "./password.js";
import { createSignInThrottle, type SignInTurn } from "./sign-in-throttle.js";

/**
 * One scrypt check at a time leaves three of libuv's four threads to the order path, and a quarter of one
 * core leaves the rest of a small machine to it too. At 50–100 ms a check, that is ten or more sign-ins
 * in a row, then two to five a second, for a dashboard a handful of staff use.
 */
export const DEFAULT_PASSWORD_CHECKS: PasswordCheckBudget = { atOnce: 1, share: 0.25, burstMs: 1000 };

/**
 * The rules of ADR 0009 wherever a password is checked or hashed, one per process: every scrypt (a sign-in,
 * a current password checked, a new password hashed) runs in one budget of `slots`, and every check of a
 * password someone typed is counted by the one `throttle` before it runs.
 */
export function createPasswordGuard(database: Database, budget: PasswordCheckBudget = DEFAULT_PASSWORD_CHECKS) {
  return { slots: passwordCheckSlots(budget), throttle: createSignInThrottle(database) };
}

export type PasswordGuard = ReturnType<typeof createPasswordGuard>;

/** 503 for password work beyond the budget: refused at once, the client told when the budget has room again. */
export function passwordsBusy(c: Context<AppEnv>, message: string, retryAfterSeconds: number) {
  c.header("Retry-After", String(retryAfterSeconds));
  return jsonError(c, HTTP.SERVICE_UNAVAILABLE, "busy", message);
}

/** 429 for an attempt the throttle refused, with when to try again. */
export function tooManyAttempts(c: Context<AppEnv>, turn: Extract<SignInTurn, { ok: false }>, what: string) {
  c.header("Retry-After", String(turn.retryAfterSeconds));
  return jsonError(c, HTTP.TOO_MANY_REQUESTS, "too_many_attempts", `Too many ${what}. Try again in ${turn.retryAfterSeconds} seconds.`);
}
