import type { Database } from "../db/client.js";
import type { StaffRole } from "./roles.js";
import { createPostgresStaffRepo } from "./staff.repo.postgres.js";
import { createSqliteStaffRepo } from "./staff.repo.sqlite.js";
import type { AccountChange, AccountChangeResult, Session, StaffAccount, StaffUser } from "./staff.rows.js";

export type { AccountChange, AccountChangeResult, Session, StaffAccount, StaffUser } from "./staff.rows.js";

/** A staff account as stored, password hash included: for sign-in and password checks only, never sent. */
export type StaffUserRow = StaffUser & { passwordHash: string; disabledAt: Date | null; createdAt: Date };

/** The staff accounts and their sessions, the same in both dialects (ADR 0015). */
export type StaffRepo = {
  addUser(user: { email: string; name: string; password: string; role?: StaffRole }): Promise<StaffUser>;
  /** Any case: emails are stored lower-case. */
  findUserByEmail(email: string): Promise<StaffUserRow | undefined>;
  findAccount(id: string): Promise<StaffAccount | undefined>;
  /** Every account, admins first, then by name. */
  listAccounts(): Promise<StaffAccount[]>;
  /**
   * An admin's change to an account, in one transaction with its checks (staff.rows.ts): nobody disables
   * their own account, and at least one enabled admin remains. Disabling ends the account's sessions at once.
   */
  changeAccount(id: string, change: AccountChange, by: StaffUser): Promise<AccountChangeResult>;
  /**
   * Stores a new password hash and ends the account's sessions, but `keepToken`'s (the session that changed
   * its own password stays signed in). Returns how many sessions ended, or undefined for an unknown account.
   */
  setPasswordHash(id: string, passwordHash: string, keepToken?: string): Promise<number | undefined>;
  /** Starts a session; the returned token goes in the cookie and is not stored. */
  createSession(userId: string, ttlMs: number): Promise<{ token: string; csrfToken: string; expiresAt: Date }>;
  /** The live session for a cookie token, or undefined (unknown, expired, or its account disabled). */
  findSession(token: string): Promise<Session | undefined>;
  deleteSession(token: string): Promise<void>;
  /** Expired sessions are refused on read; this only keeps the table small. Returns how many went. */
  deleteExpiredSessions(): Promise<number>;
};

export function createStaffRepo(database: Database): StaffRepo {
  return database.dialect === "postgres" ? createPostgresStaffRepo(database.db) : createSqliteStaffRepo(database.db);
}
