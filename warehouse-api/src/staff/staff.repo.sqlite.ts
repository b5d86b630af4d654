import { and, asc, count, eq, gt, isNull, lt, ne } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";

import { promised } from "@fishtag/service-kit/promised";

import type { Db } from "../db/client.js";
import { staffSessions, staffUsers } from "../db/schema.js";
import { hashPassword } from "./password.js";
import type { StaffRole } from "./roles.js";
import type { StaffRepo } from "./staff.repo.js";
import {
  checkAccountChange,
  randomToken,
  sha256,
  toAccount,
  type AccountChange,
  type AccountChangeResult,
  type Session,
  type StaffAccount,
  type StaffUser,
} from "./staff.rows.js";

// The staff accounts and sessions on SQLite: a transaction that checks and writes takes the write lock first.

const userColumns = { id: staffUsers.id, email: staffUsers.email, name: staffUsers.name, role: staffUsers.role };

export function createSqliteStaffRepo(db: Db): StaffRepo {
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

    listAccounts(): StaffAccount[] {
      return db.select().from(staffUsers).orderBy(asc(staffUsers.role), asc(staffUsers.name), asc(staffUsers.email)).all().map(toAccount);
    },

    changeAccount(id: string, change: AccountChange, by: StaffUser): AccountChangeResult {
      return db.$client
        .transaction((): AccountChangeResult => {
          const row = db.select().from(staffUsers).where(eq(staffUsers.id, id)).get();
          if (!row) return { kind: "not_found" };
          const checked = checkAccountChange(row, change, by, enabledAdmins());
          if (!checked.ok) return checked.result;
          const { role, disabledAt } = checked;
          db.update(staffUsers).set({ role, disabledAt }).where(eq(staffUsers.id, id)).run();
          const endedSessions = disabledAt === null ? 0 : endSessionsOf(id);
          return { kind: "changed", account: toAccount({ ...row, role, disabledAt }), endedSessions };
        })
        .immediate();
    },

    setPasswordHash(id: string, passwordHash: string, keepToken?: string): number | undefined {
      return db.$client
        .transaction(() => {
          const { changes } = db.update(staffUsers).set({ passwordHash }).where(eq(staffUsers.id, id)).run();
          return changes === 0 ? undefined : endSessionsOf(id, keepToken);
        })
        .immediate();
    },

    createSession(userId: string, ttlMs: number): { token: string; csrfToken: string; expiresAt: Date } {
      const token = randomToken();
      const now = Date.now();
      const session = { csrfToken: randomToken(), expiresAt: new Date(now + ttlMs) };
      db.insert(staffSessions)
        .values({ tokenHash: sha256(token), userId, createdAt: new Date(now), ...session })
        .run();
      return { token, ...session };
    },

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

    deleteExpiredSessions(): number {
      return db.delete(staffSessions).where(lt(staffSessions.expiresAt, new Date())).run().changes;
    },
  });
}
