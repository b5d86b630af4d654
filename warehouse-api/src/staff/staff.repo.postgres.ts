import { and, asc, eq, gt, isNull, lt, ne } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";

import type { PgDb, PgTx } from "../db/client.js";
import { staffSessions, staffUsers } from "../db/schema.postgres.js";
import { hashPassword } from "./password.js";
import type { StaffRepo } from "./staff.repo.js";
import { checkAccountChange, randomToken, sha256, toAccount } from "./staff.rows.js";

// The staff accounts and sessions on Postgres (ADR 0015): sessions live in the database, so a staff member
// signed in through one replica is signed in on all of them.

const userColumns = { id: staffUsers.id, email: staffUsers.email, name: staffUsers.name, role: staffUsers.role };

export function createPostgresStaffRepo(db: PgDb): StaffRepo {
  const endSessionsOf = async (tx: PgTx, userId: string, except?: string) =>
    (
      await tx
        .delete(staffSessions)
        .where(and(eq(staffSessions.userId, userId), except === undefined ? undefined : ne(staffSessions.tokenHash, sha256(except))))
    ).rowCount ?? 0;

  return {
    async addUser({ email, name, password, role = "staff" }) {
      const user = { id: uuidv7(), email: email.toLowerCase(), name, role };
      await db.insert(staffUsers).values({ ...user, passwordHash: await hashPassword(password), createdAt: new Date() });
      return user;
    },

    async findUserByEmail(email) {
      const [row] = await db.select().from(staffUsers).where(eq(staffUsers.email, email.toLowerCase()));
      return row;
    },

    async findAccount(id) {
      const [row] = await db.select().from(staffUsers).where(eq(staffUsers.id, id));
      return row && toAccount(row);
    },

    async listAccounts() {
      const rows = await db.select().from(staffUsers).orderBy(asc(staffUsers.role), asc(staffUsers.name), asc(staffUsers.email));
      return rows.map(toAccount);
    },

    async changeAccount(id, change, by) {
      return db.transaction(async (tx) => {
        // The enabled admins are locked first, in one order, then counted: of two admins demoting each other
        // at once on two replicas, the second waits and then sees one admin left.
        const admins = await tx
          .select({ id: staffUsers.id })
          .from(staffUsers)
          .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt)))
          .orderBy(asc(staffUsers.id))
          .for("update");
        const [row] = await tx.select().from(staffUsers).where(eq(staffUsers.id, id)).for("update");
        if (!row) return { kind: "not_found" } as const;
        const checked = checkAccountChange(row, change, by, admins.length);
        if (!checked.ok) return checked.result;
        const { role, disabledAt } = checked;
        await tx.update(staffUsers).set({ role, disabledAt }).where(eq(staffUsers.id, id));
        const endedSessions = disabledAt === null ? 0 : await endSessionsOf(tx, id);
        return { kind: "changed", account: toAccount({ ...row, role, disabledAt }), endedSessions } as const;
      });
    },

    async setPasswordHash(id, passwordHash, keepToken) {
      return db.transaction(async (tx) => {
        const updated = await tx.update(staffUsers).set({ passwordHash }).where(eq(staffUsers.id, id));
        return updated.rowCount === 0 ? undefined : endSessionsOf(tx, id, keepToken);
      });
    },

    async createSession(userId, ttlMs) {
      const token = randomToken();
      const now = Date.now();
      const session = { csrfToken: randomToken(), expiresAt: new Date(now + ttlMs) };
      await db.insert(staffSessions).values({ tokenHash: sha256(token), userId, createdAt: new Date(now), ...session });
      return { token, ...session };
    },

    async findSession(token) {
      const [session] = await db
        .select({ user: userColumns, csrfToken: staffSessions.csrfToken, expiresAt: staffSessions.expiresAt })
        .from(staffSessions)
        .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.userId))
        .where(and(eq(staffSessions.tokenHash, sha256(token)), gt(staffSessions.expiresAt, new Date()), isNull(staffUsers.disabledAt)));
      return session;
    },

    async deleteSession(token) {
      await db.delete(staffSessions).where(eq(staffSessions.tokenHash, sha256(token)));
    },

    async deleteExpiredSessions() {
      return (await db.delete(staffSessions).where(lt(staffSessions.expiresAt, new Date()))).rowCount ?? 0;
    },
  };
}
