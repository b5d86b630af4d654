import { afterEach, describe, expect, it } from "vitest";

import { openSqliteDatabase } from "../db/client.js";
import { databaseBefore } from "../test/migrations.js";
import { createStaffRepo } from "./staff.repo.js";

let cleanUp: (() => void) | undefined;
afterEach(() => {
  cleanUp?.();
});

describe("migrations 0009 and 0010 (staff roles)", () => {
  it("make every account from before roles an admin, enabled; accounts added afterwards are staff", async () => {
    const { path, db: before, cleanUp: remove } = databaseBefore(9);
    cleanUp = remove;
    const insert = before.prepare(
      "INSERT INTO staff_users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, 'scrypt$x', 1700000000000)",
    );
    insert.run("01900000-0000-7000-8000-000000000001", "first@warehouse.test", "First admin");
    insert.run("01900000-0000-7000-8000-000000000002", "added@warehouse.test", "Added by the CLI");
    before.close();

    const db = { dialect: "sqlite" as const, db: openSqliteDatabase(path) };
    const staff = createStaffRepo(db);
    await staff.addUser({ email: "new@warehouse.test", name: "New", password: "a password after roles" });

    expect((await staff.listAccounts()).map(({ email, role, disabled }) => ({ email, role, disabled }))).toEqual([
      { email: "added@warehouse.test", role: "admin", disabled: false },
      { email: "first@warehouse.test", role: "admin", disabled: false },
      { email: "new@warehouse.test", role: "staff", disabled: false },
    ]);
    db.db.$client.close();
  });
});
