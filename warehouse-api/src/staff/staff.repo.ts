import { createHash, randomBytes } from "node:crypto";

import { and, asc, count, eq, gt, isNull, lt, ne } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";

import type { Db } from "../db/client.js";
import { staffSessions, staffUsers } from "../db/schema.js";
import { promised } from "@fishtag/service-kit/promised";
import { hashPassword } from "./password.js";
import type { StaffRole } from "./roles.js";

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

const sha256 = (token: string) => createHash("sha256").update(token).digest("base64url");
const randomToken = () => randomBytes(32).toString("base64url");

const userColumns = { id: staffUsers.id, email: staffUsers.email, name: staffUsers.name, role: staffUsers.role };

function toAccount(row: typeof staffUsers.$inferSelect): StaffAccount {
  return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabledAt !== null, createdAt: row.createdAt };
}

export type StaffRepo = ReturnType<typeof createStaffRepo>;

export function createStaffRepo(db: Db) {
  const endSessionsOf = (userId: string, except?: string) =>
    db
      .delete(staffSessions)
      .where(and(eq(staffSessions.userId, userId), except === undefined ? undefined : ne(staffSessions.tokenHash, sha256(except))))
      .run().changes;

  const enabledAdmins = () =>
    db
      .select({ n: count() })
      .from(staffUsers)
      .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt)))
      .get()?.n ?? 0;

  return promised({
    async addUser({
      email,
      name,
      password,
      role = "staff",
    }: {
      email: string;
      name: string;
      password: string;
      role?: StaffRole;
    }): Promise<StaffUser> {
      const user = { id: uuidv7(), email: email.toLowerCase(), name, role };
      db.insert(staffUsers)
        .values({ ...user, passwordHash: await hashPassword(password), createdAt: new Date() })
        .run();
      return user;
    },

    findUserByEmail(email: string) {
      return db.select().from(staffUsers).where(eq(staffUsers.email, email.toLowerCase())).get();
    },

    findAccount(id: string): StaffAccount | undefined {
      const row = db.select().from(staffUsers).where(eq(staffUsers.id, id)).get();
      return row && toAccount(row);
    },

    /** Every account, admins first, then by name. */
    listAccounts(): StaffAccount[] {
      return db.select().from(staffUsers).orderBy(asc(staffUsers.role), asc(staffUsers.name), asc(staffUsers.email)).all().map(toAccount);
    },

    /**
     * An admin's change to an account, in one transaction with its checks: nobody disables their own account,
     * and at least one enabled admin remains. Disabling ends the account's sessions at once.
     */
    changeAccount(id: string, change: AccountChange, by: StaffUser): AccountChangeResult {
      return db.$client
        .transaction((): AccountChangeResult => {
          const row = db.select().from(staffUsers).where(eq(staffUsers.id, id)).get();
          if (!row) return { kind: "not_found" };
          if (change.disabled === true && id === by.id) return { kind: "own_account" };
          const wasAdmin = row.role === "admin" && row.disabledAt === null;
          const staysAdmin = (change.role ?? row.role) === "admin" && !(change.disabled ?? row.disabledAt !== null);
          if (wasAdmin && !staysAdmin && enabledAdmins() <= 1) return { kind: "last_admin" };

          const disabledAt = change.disabled === undefined ? row.disabledAt : change.disabled ? (row.disabledAt ?? new Date()) : null;
          db.update(staffUsers)
            .set({ role: change.role ?? row.role, disabledAt })
            .where(eq(staffUsers.id, id))
            .run();
          const endedSessions = disabledAt === null ? 0 : endSessionsOf(id);
          return { kind: "changed", account: toAccount({ ...row, role: change.role ?? row.role, disabledAt }), endedSessions };
        })
        .immediate();
    },

    /**
     * Stores a new password hash and ends the account's sessions, but `keepToken`'s (the session that changed
     * its own password stays signed in). Returns how many sessions ended, or undefined for an unknown account.
     */
    setPasswordHash(id: string, passwordHash: string, keepToken?: string): number | undefined {
      return db.$client
        .transaction(() => {
          const { changes } = db.update(staffUsers).set({ passwordHash }).where(eq(staffUsers.id, id)).run();
          return changes === 0 ? undefined : endSessionsOf(id, keepToken);
        })
        .immediate();
    },

    /** Starts a session; the returned token goes in the cookie and is not stored. */
    createSession(userId: string, ttlMs: number): { token: string; csrfToken: string; expiresAt: Date } {
      const token = randomToken();
      const now = Date.now();
      const session = { csrfToken: randomToken(), expiresAt: new Date(now + ttlMs) };
      db.insert(staffSessions)
        .values({ tokenHash: sha256(token), userId, createdAt: new Date(now), ...session })
        .run();
      return { token, ...session };
    },

    /** The live session for a cookie token, or undefined (unknown, expired, or its account disabled). */
    findSession(token: string): Session | undefined {
      return db
        .select({ user: userColumns, csrfToken: staffSessions.csrfToken, expiresAt: staffSessions.expiresAt })
        .from(staffSessions)
        .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.userId))
        .where(and(eq(staffSessions.tokenHash, sha256(token)), gt(staffSessions.expiresAt, new Date()), isNull(staffUsers.disabledAt)))
        .get();
    },

    deleteSession(token: string): void {
      db.delete(staffSessions)
        .where(eq(staffSessions.tokenHash, sha256(token)))
        .run();
    },

    /** Expired sessions are refused on read; this only keeps the table small. */
    deleteExpiredSessions(): number {
      return db.delete(staffSessions).where(lt(staffSessions.expiresAt, new Date())).run().changes;
    },
  });
}
