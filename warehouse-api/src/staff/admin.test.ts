import { describe, expect, it } from "vitest";

import { createLogger } from "@fishtag/tracing/logger";

import { ensureAdmin } from "./admin.js";
import type { StaffRepo, StaffUserRow } from "./staff.repo.js";

const logger = createLogger({ service: "warehouse-api", level: "silent", stdout: false });
const ADMIN = { email: "admin@warehouse.test", password: "admin horse battery staple" };
const row: StaffUserRow = {
  id: "a1",
  email: ADMIN.email,
  name: "Admin",
  role: "admin",
  passwordHash: "x",
  disabledAt: null,
  createdAt: new Date(),
};

/** A repository where another replica adds the admin between this one's look-up and its insert. */
function racedRepo(theOtherAdded: boolean): StaffRepo {
  let lookups = 0;
  return {
    findUserByEmail: () => Promise.resolve(lookups++ === 0 || !theOtherAdded ? undefined : row),
    addUser: () => Promise.reject(new Error('duplicate key value violates unique constraint "staff_users_email_unique"')),
  } as Partial<StaffRepo> as StaffRepo;
}

describe("ensureAdmin", () => {
  it("starts when another replica created the admin first: the unique email kept theirs", async () => {
    await expect(ensureAdmin(racedRepo(true), logger, ADMIN)).resolves.toBeUndefined();
  });

  it("stops the start when the insert failed and no admin is there after all", async () => {
    await expect(ensureAdmin(racedRepo(false), logger, ADMIN)).rejects.toThrow("unique constraint");
  });
});
