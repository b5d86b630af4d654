import type { Context } from "hono";
import { getCookie } from "hono/cookie";

import { NO_TRUSTED_PROXIES } from "@fishtag/service-kit/client-address";

import type { AppDeps, AppEnv } from "../app-env.js";
import { requestClient } from "../lib/client.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import type { AppRouteHandler } from "../lib/openapi.js";
import type * as routes from "./accounts.openapi.js";
import { passwordsBusy, tooManyAttempts, type PasswordGuard } from "./password-guard.js";
import { hashPassword, verifyPassword } from "./password.js";
import { SESSION_COOKIE, sessionOf } from "./require-staff.js";
import type { StaffAccount, StaffRepo } from "./staff.repo.js";
import type { StaffAccountJson } from "./staff.schemas.js";

const toJson = ({ createdAt, ...account }: StaffAccount): StaffAccountJson => ({ ...account, createdAt: createdAt.toISOString() });

// Every change to an account is logged with who made it (staffId) and whom it changed (accountId); the
// correlation ID comes with every line of the request. Passwords and their hashes never reach a log.
export function accountsHandlers(
  { logger, trustedProxies = NO_TRUSTED_PROXIES }: AppDeps,
  staff: StaffRepo,
  { slots, throttle }: PasswordGuard,
) {
  const busy = (c: Context<AppEnv>) => {
    logger.warn("password change refused: the password checks are busy");
    return passwordsBusy(c, "Too many password checks at once. Try again in a few seconds.", slots.retryAfterSeconds());
  };
  const unknown = (c: Context<AppEnv>, id: string) => jsonError(c, HTTP.NOT_FOUND, "not_found", `No staff account with id ${id}.`);

  const listAccounts: AppRouteHandler<typeof routes.listAccounts> = async (c) =>
    c.json({ items: (await staff.listAccounts()).map(toJson) }, HTTP.OK);

  const addAccount: AppRouteHandler<typeof routes.addAccount> = async (c) => {
    const { user: admin } = sessionOf(c);
    const input = c.req.valid("json");
    if (await staff.findUserByEmail(input.email)) {
      return jsonError(c, HTTP.CONFLICT, "email_taken", `There is an account for ${input.email} already.`);
    }
    const release = slots.take();
    if (!release) return busy(c);
    try {
      const user = await staff.addUser(input);
      logger.info({ staffId: admin.id, accountId: user.id, role: user.role }, "staff account added");
      const account = await staff.findAccount(user.id);
      if (!account) throw new Error(`staff account ${user.id} is gone right after it was added`);
      return c.json(toJson(account), HTTP.CREATED);
    } finally {
      release();
    }
  };

  const changeAccount: AppRouteHandler<typeof routes.changeAccount> = async (c) => {
    const { user: admin } = sessionOf(c);
    const { id } = c.req.valid("param");
    const change = c.req.valid("json");
    const result = await staff.changeAccount(id, change, admin);
    switch (result.kind) {
      case "not_found":
        return unknown(c, id);
      case "own_account":
        return jsonError(c, HTTP.CONFLICT, "own_account", "You cannot disable your own account.");
      case "last_admin":
        return jsonError(c, HTTP.CONFLICT, "last_admin", "This is the last admin: make someone else an admin first.");
      case "changed": {
        const { account, endedSessions } = result;
        logger.info(
          { staffId: admin.id, accountId: id, role: account.role, disabled: account.disabled, endedSessions },
          "staff account changed",
        );
        return c.json(toJson(account), HTTP.OK);
      }
    }
  };

  const resetPassword: AppRouteHandler<typeof routes.resetPassword> = async (c) => {
    const { user: admin } = sessionOf(c);
    const { id } = c.req.valid("param");
    // Without the current password, a session left open would be enough to take over its account.
    if (id === admin.id) {
      return jsonError(c, HTTP.CONFLICT, "own_account", "Change your own password under “Change password”: it asks for your current one.");
    }
    if (!(await staff.findAccount(id))) return unknown(c, id);
    const release = slots.take();
    if (!release) return busy(c);
    try {
      const endedSessions = await staff.setPasswordHash(id, await hashPassword(c.req.valid("json").password));
      if (endedSessions === undefined) return unknown(c, id);
      logger.info({ staffId: admin.id, accountId: id, endedSessions }, "staff password reset");
      return c.body(null, HTTP.NO_CONTENT);
    } finally {
      release();
    }
  };

  const changeOwnPassword: AppRouteHandler<typeof routes.changeOwnPassword> = async (c) => {
    const { user } = sessionOf(c);
    const { currentPassword, newPassword } = c.req.valid("json");
    const release = slots.take();
    if (!release) return busy(c);
    try {
      // A stolen session could otherwise guess the password it needs here as fast as it liked.
      const turn = await throttle.take(user.email, requestClient(c, trustedProxies).address);
      if (!turn.ok) {
        logger.warn({ staffId: user.id, limit: turn.limit, retryAfterSeconds: turn.retryAfterSeconds }, "password change throttled");
        return tooManyAttempts(c, turn, "wrong passwords");
      }
      const account = await staff.findUserByEmail(user.email);
      if (!account || !(await verifyPassword(currentPassword, account.passwordHash))) {
        logger.warn({ staffId: user.id }, "password change refused: wrong current password");
        return jsonError(c, HTTP.UNPROCESSABLE_ENTITY, "wrong_password", "That is not your current password.");
      }
      await turn.succeeded();
      const endedSessions = await staff.setPasswordHash(user.id, await hashPassword(newPassword), getCookie(c, SESSION_COOKIE));
      logger.info({ staffId: user.id, accountId: user.id, endedSessions }, "own password changed");
      return c.body(null, HTTP.NO_CONTENT);
    } finally {
      release();
    }
  };

  return { listAccounts, addAccount, changeAccount, resetPassword, changeOwnPassword };
}
