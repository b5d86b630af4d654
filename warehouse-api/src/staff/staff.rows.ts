import { createHash, randomBytes } from "node:crypto";

import type { staffUsers } from "../db/schema.js";
import type { StaffRole } from "./roles.js";

// What both dialects' staff repositories share (ADR 0015): the account's shapes, how a session token is
// kept, and the rules an admin's change must pass.

export type StaffUser = { id: string; email: string; name: string; role: StaffRole };

/** An account as an admin sees it in the list: who, what they may do, and whether they can sign in. */
export type StaffAccount = StaffUser & { disabled: boolean; createdAt: Date };

export type Session = { user: StaffUser; csrfToken: string; expiresAt: Date };

/** A change an admin makes to someone's account. */
export type AccountChange = { role?: StaffRole | undefined; disabled?: boolean | undefined };

export type AccountChangeResult =
  | { kind: "changed"; account: StaffAccount; endedSessions: number }
  | { kind: "not_found" }
  /** An admin may not disable their own account: nobody could then undo it from this one. */
  | { kind: "own_account" }
  /** The change would leave no enabled admin, and nobody able to manage the accounts. */
  | { kind: "last_admin" };

/** A session token as stored: only its SHA-256, so a copy of the database does not hand out live sessions. */
export const sha256 = (token: string) => createHash("sha256").update(token).digest("base64url");
export const randomToken = () => randomBytes(32).toString("base64url");

export function toAccount(row: typeof staffUsers.$inferSelect): StaffAccount {
  return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabledAt !== null, createdAt: row.createdAt };
}

/**
 * An admin's change to an account, checked: nobody disables their own account, and at least one enabled
 * admin remains (`enabledAdmins`: how many there are, read in the same transaction). The account's new
 * role and disabledAt, or why not.
 */
export function checkAccountChange(
  row: typeof staffUsers.$inferSelect,
  change: AccountChange,
  by: StaffUser,
  enabledAdmins: number,
): { ok: true; role: StaffRole; disabledAt: Date | null } | { ok: false; result: AccountChangeResult } {
  if (change.disabled === true && row.id === by.id) return { ok: false, result: { kind: "own_account" } };
  const wasAdmin = row.role === "admin" && row.disabledAt === null;
  const staysAdmin = (change.role ?? row.role) === "admin" && !(change.disabled ?? row.disabledAt !== null);
  if (wasAdmin && !staysAdmin && enabledAdmins <= 1) return { ok: false, result: { kind: "last_admin" } };
  const disabledAt = change.disabled === undefined ? row.disabledAt : change.disabled ? (row.disabledAt ?? new Date()) : null;
  return { ok: true, role: change.role ?? row.role, disabledAt };
}
