import { createRoute } from "@hono/zod-openapi";

import { HTTP } from "../lib/http-status.js";
import { errorContent, jsonContent, jsonContentRequired } from "../lib/openapi.js";
import { STAFF_SESSION_SCHEME } from "./require-staff.js";
import {
  AccountIdParamsSchema,
  AddAccountSchema,
  ChangeAccountSchema,
  OwnPasswordSchema,
  ResetPasswordSchema,
  StaffAccountSchema,
  StaffAccountsSchema,
} from "./staff.schemas.js";

// Staff accounts: admins manage them (accounts.routes.ts puts those routes behind requireAdmin too), and
// every staff member changes their own password.

const staffSession = [{ [STAFF_SESSION_SCHEME]: [] }];
const tags = ["Staff accounts"];
const ADMINS_ONLY = "Admins only: other staff get 403 `forbidden`.";
const refused = {
  [HTTP.UNAUTHORIZED]: errorContent("No staff session"),
  [HTTP.FORBIDDEN]: errorContent("Not an admin (`forbidden`), or a missing or wrong CSRF token (`csrf_failed`)"),
};
const passwordBusy = {
  [HTTP.SERVICE_UNAVAILABLE]: errorContent("Too much password hashing at once (`busy`); see Retry-After"),
};

export const listAccounts = createRoute({
  method: "get",
  path: "/api/staff",
  tags,
  summary: "Every staff account, admins first",
  description: ADMINS_ONLY,
  security: staffSession,
  responses: { [HTTP.OK]: jsonContent(StaffAccountsSchema, "The accounts"), ...refused },
});

export const addAccount = createRoute({
  method: "post",
  path: "/api/staff",
  tags,
  summary: "Add a staff account with its first password (needs X-CSRF-Token)",
  description: `${ADMINS_ONLY} The password is 12–200 characters; its holder can change it once signed in.`,
  security: staffSession,
  request: { body: jsonContentRequired(AddAccountSchema, "The new account") },
  responses: {
    [HTTP.CREATED]: jsonContent(StaffAccountSchema, "The account, which can sign in at once"),
    [HTTP.BAD_REQUEST]: errorContent("A field is missing or not valid (see `issues`)"),
    ...refused,
    [HTTP.CONFLICT]: errorContent("An account with this email exists already (`email_taken`)"),
    ...passwordBusy,
  },
});

export const changeAccount = createRoute({
  method: "patch",
  path: "/api/staff/{id}",
  tags,
  summary: "Change an account's role, or disable or enable it (needs X-CSRF-Token)",
  description: `${ADMINS_ONLY} Disabling an account ends its sessions at once.`,
  security: staffSession,
  request: { params: AccountIdParamsSchema, body: jsonContentRequired(ChangeAccountSchema, "What changes") },
  responses: {
    [HTTP.OK]: jsonContent(StaffAccountSchema, "The account, changed"),
    [HTTP.BAD_REQUEST]: errorContent("Nothing to change, or not valid (see `issues`)"),
    ...refused,
    [HTTP.NOT_FOUND]: errorContent("No such account"),
    [HTTP.CONFLICT]: errorContent("Disabling your own account (`own_account`), or leaving no enabled admin (`last_admin`)"),
  },
});

export const resetPassword = createRoute({
  method: "post",
  path: "/api/staff/{id}/password",
  tags,
  summary: "Set a new password for someone who lost theirs (needs X-CSRF-Token)",
  description: `${ADMINS_ONLY} Their sessions end; tell them the new password.`,
  security: staffSession,
  request: { params: AccountIdParamsSchema, body: jsonContentRequired(ResetPasswordSchema, "The new password") },
  responses: {
    [HTTP.NO_CONTENT]: { description: "Set; the account's sessions have ended" },
    [HTTP.BAD_REQUEST]: errorContent("Not a valid password (see `issues`)"),
    ...refused,
    [HTTP.NOT_FOUND]: errorContent("No such account"),
    [HTTP.CONFLICT]: errorContent("Your own account (`own_account`): change your own password with your current one instead"),
    ...passwordBusy,
  },
});

export const changeOwnPassword = createRoute({
  method: "post",
  path: "/api/account/password",
  tags,
  summary: "Change your own password, with your current one (needs X-CSRF-Token)",
  description:
    "For every staff member. The current password is checked as a sign-in is: counted by the same throttle, within the " +
    "same budget. Your other sessions end; this one stays signed in.",
  security: staffSession,
  request: { body: jsonContentRequired(OwnPasswordSchema, "The current and the new password") },
  responses: {
    [HTTP.NO_CONTENT]: { description: "Changed; your other sessions have ended" },
    [HTTP.BAD_REQUEST]: errorContent("The new password is not valid (see `issues`)"),
    [HTTP.UNAUTHORIZED]: errorContent("No staff session"),
    [HTTP.FORBIDDEN]: errorContent("Missing or wrong CSRF token"),
    [HTTP.UNPROCESSABLE_ENTITY]: errorContent("The current password is wrong (`wrong_password`)"),
    [HTTP.TOO_MANY_REQUESTS]: errorContent("Too many wrong passwords (`too_many_attempts`); see Retry-After"),
    ...passwordBusy,
  },
});
