import { createHash, randomBytes } from "node:crypto";

import { and, eq, gt, lt } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";

import type { Db } from "../db/client.js";
import { staffSessions, staffUsers } from "../db/schema.js";
import { hashPassword } from "./password.js";

export type StaffUser = { id: string; email: string; name: string };

export type Session = { user: StaffUser; csrfToken: string; expiresAt: Date };

const sha256 = (token: string) => createHash("sha256").update(token).digest("base64url");
const randomToken = () => randomBytes(32).toString("base64url");

export type StaffRepo = ReturnType<typeof createStaffRepo>;

export function createStaffRepo(db: Db) {
  return {
    async addUser({ email, name, password }: { email: string; name: string; password: string }): Promise<StaffUser> {
      const user = { id: uuidv7(), email: email.toLowerCase(), name };
      db.insert(staffUsers)
        .values({ ...user, passwordHash: await hashPassword(password), createdAt: new Date() })
        .run();
      return user;
    },

    findUserByEmail(email: string) {
      return db.select().from(staffUsers).where(eq(staffUsers.email, email.toLowerCase())).get();
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

    /** The live session for a cookie token, or undefined (unknown or expired). */
    findSession(token: string): Session | undefined {
      const row = db
        .select({
          user: { id: staffUsers.id, email: staffUsers.email, name: staffUsers.name },
          csrfToken: staffSessions.csrfToken,
          expiresAt: staffSessions.expiresAt,
        })
        .from(staffSessions)
        .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.userId))
        .where(and(eq(staffSessions.tokenHash, sha256(token)), gt(staffSessions.expiresAt, new Date())))
        .get();
      return row;
    },

    deleteSession(token: string) {
      db.delete(staffSessions)
        .where(eq(staffSessions.tokenHash, sha256(token)))
        .run();
    },

    /** Expired sessions are refused on read; this only keeps the table small. */
    deleteExpiredSessions() {
      return db.delete(staffSessions).where(lt(staffSessions.expiresAt, new Date())).run().changes;
    },
  };
}
