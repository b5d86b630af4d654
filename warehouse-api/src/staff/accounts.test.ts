import { readFileSync } from "node:fs";

import { afterEach, describe, expect, it } from "vitest";

import { jsonRequest, readLogLines } from "../test/fixtures.js";
import { createTestWarehouse, TEST_ADMIN, TEST_STAFF, type StaffHeaders, type TestWarehouse } from "../testing.js";
import { SIGN_IN_LIMITS } from "./sign-in-throttle.js";
import type { StaffAccountJson } from "./staff.schemas.js";

// scrypt is slow on purpose (about 50 ms a hash), and these tests hash and check many passwords.
const SLOW = { timeout: 30_000 };

let warehouse: TestWarehouse;
afterEach(async () => {
  await warehouse.close();
});

async function start(options: Parameters<typeof createTestWarehouse>[0] = {}) {
  warehouse = await createTestWarehouse(options);
  return warehouse;
}

type Call = { method?: "GET" | "POST" | "PATCH"; body?: unknown; correlationId?: string };

async function call(
  headers: StaffHeaders | Record<string, never>,
  path: string,
  { method = "GET", body, correlationId }: Call = {},
): Promise<Response> {
  const sent: Record<string, string> = { ...headers, ...(correlationId ? { "x-correlation-id": correlationId } : {}) };
  return warehouse.app.request(path, body === undefined ? { method, headers: sent } : { ...jsonRequest(body, sent), method });
}

const signIn = (email: string, password: string) => warehouse.app.request("/api/session", jsonRequest({ email, password }));

const NEWCOMER = { name: "Nia New", email: "Nia@Warehouse.test", role: "staff", password: "a first password to change" } as const;

async function addNewcomer(admin: StaffHeaders): Promise<StaffAccountJson> {
  const res = await call(admin, "/api/staff", { method: "POST", body: NEWCOMER });
  expect(res.status).toBe(201);
  return (await res.json()) as StaffAccountJson;
}

/** The id of the account signed in with `headers`. */
const idOf = async (headers: StaffHeaders) => ((await (await call(headers, "/api/session")).json()) as { user: { id: string } }).user.id;

/** The account's sessions still open the staff API. */
const stillSignedIn = async (headers: StaffHeaders) => (await call(headers, "/api/orders")).status === 200;

describe("an admin manages the staff accounts", SLOW, () => {
  it("adds an account, which signs in at once with its first password; the list shows every account, admins first", async () => {
    await start();
    const admin = await warehouse.adminHeaders();
    await warehouse.staffHeaders();

    const added = await addNewcomer(admin);
    expect(added).toEqual({
      id: expect.any(String),
      name: "Nia New",
      email: "nia@warehouse.test",
      role: "staff",
      disabled: false,
      createdAt: expect.any(String),
    });
    expect((await signIn("nia@warehouse.test", NEWCOMER.password)).status).toBe(200);

    const list = (await (await call(admin, "/api/staff")).json()) as { items: StaffAccountJson[] };
    expect(list.items.map((account) => [account.email, account.role])).toEqual([
      [TEST_ADMIN.email, "admin"],
      ["nia@warehouse.test", "staff"],
      [TEST_STAFF.email, "staff"],
    ]);
  });

  it("refuses a second account for an email, whatever its case", async () => {
    await start();
    const admin = await warehouse.adminHeaders();
    await addNewcomer(admin);

    const res = await call(admin, "/api/staff", { method: "POST", body: { ...NEWCOMER, email: "NIA@warehouse.TEST" } });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "email_taken" });
  });

  it("disables an account: its sessions end at once, and its sign-in gets the answer a wrong password gets; enabled, it signs in again", async () => {
    await start();
    const admin = await warehouse.adminHeaders();
    const staff = await warehouse.staffHeaders();
    const id = await idOf(staff);

    const disabled = await call(admin, `/api/staff/${id}`, { method: "PATCH", body: { disabled: true } });
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toMatchObject({ id, disabled: true });
    expect(await stillSignedIn(staff)).toBe(false);
    const refused = await signIn(TEST_STAFF.email, TEST_STAFF.password);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "invalid_credentials", message: "Wrong email or password." });

    expect((await call(admin, `/api/staff/${id}`, { method: "PATCH", body: { disabled: false } })).status).toBe(200);
    expect((await signIn(TEST_STAFF.email, TEST_STAFF.password)).status).toBe(200);
  });

  it("makes a staff member an admin, who may then manage the accounts", async () => {
    await start();
    const admin = await warehouse.adminHeaders();
    const { id } = await addNewcomer(admin);
    const newcomer = await warehouse.signIn(NEWCOMER);
    expect((await call(newcomer, "/api/staff")).status).toBe(403);

    expect(await (await call(admin, `/api/staff/${id}`, { method: "PATCH", body: { role: "admin" } })).json()).toMatchObject({
      role: "admin",
    });
    expect((await call(newcomer, "/api/staff")).status).toBe(200);
  });

  it("resets someone's password: their sessions end, the new password signs in and the old one does not", async () => {
    await start();
    const admin = await warehouse.adminHeaders();
    const { id } = await addNewcomer(admin);
    const newcomer = await warehouse.signIn(NEWCOMER);

    const res = await call(admin, `/api/staff/${id}/password`, { method: "POST", body: { password: "a reset password for nia" } });
    expect(res.status).toBe(204);
    expect(await stillSignedIn(newcomer)).toBe(false);
    expect((await signIn(NEWCOMER.email, NEWCOMER.password)).status).toBe(401);
    expect((await signIn(NEWCOMER.email, "a reset password for nia")).status).toBe(200);
    // The admin who reset it is still signed in.
    expect(await stillSignedIn(admin)).toBe(true);
  });

  it("answers 404 for an account that does not exist", async () => {
    await start();
    const admin = await warehouse.adminHeaders();
    const nobody = crypto.randomUUID();

    expect((await call(admin, `/api/staff/${nobody}`, { method: "PATCH", body: { disabled: true } })).status).toBe(404);
    expect(
      (await call(admin, `/api/staff/${nobody}/password`, { method: "POST", body: { password: "long enough password" } })).status,
    ).toBe(404);
  });
});

describe("what an admin cannot do", SLOW, () => {
  it("disable their own account, or reset their own password without the current one", async () => {
    await start();
    const admin = await warehouse.adminHeaders();
    const me = await idOf(admin);

    const disable = await call(admin, `/api/staff/${me}`, { method: "PATCH", body: { disabled: true } });
    expect(disable.status).toBe(409);
    expect(await disable.json()).toMatchObject({ error: "own_account", message: "You cannot disable your own account." });
    const reset = await call(admin, `/api/staff/${me}/password`, { method: "POST", body: { password: "a new admin password" } });
    expect(reset.status).toBe(409);
    expect(await reset.json()).toMatchObject({ error: "own_account" });
    expect(await stillSignedIn(admin)).toBe(true);
  });

  it("leave no enabled admin: the last one cannot step down; with another admin, they can", async () => {
    await start();
    const admin = await warehouse.adminHeaders();
    const me = await idOf(admin);

    const alone = await call(admin, `/api/staff/${me}`, { method: "PATCH", body: { role: "staff" } });
    expect(alone.status).toBe(409);
    expect(await alone.json()).toMatchObject({ error: "last_admin" });

    await call(admin, "/api/staff", { method: "POST", body: { ...NEWCOMER, role: "admin" } });
    expect((await call(admin, `/api/staff/${me}`, { method: "PATCH", body: { role: "staff" } })).status).toBe(200);
    // Their session now carries the new role.
    expect((await call(admin, "/api/staff")).status).toBe(403);
  });
});

describe("a staff member who is not an admin", SLOW, () => {
  it("gets 403 in the API's error shape from every account route, and nothing changes", async () => {
    await start();
    await warehouse.adminHeaders();
    const staff = await warehouse.staffHeaders();
    const target = crypto.randomUUID();
    const calls: [string, Call][] = [
      ["/api/staff", {}],
      ["/api/staff", { method: "POST", body: NEWCOMER }],
      [`/api/staff/${target}`, { method: "PATCH", body: { role: "admin" } }],
      [`/api/staff/${target}/password`, { method: "POST", body: { password: "someone else's new password" } }],
    ];
    for (const [path, init] of calls) {
      const res = await call(staff, path, { ...init, correlationId: "not-an-admin" });
      expect(res.status, `${init.method ?? "GET"} ${path}`).toBe(403);
      expect(await res.json()).toEqual({
        error: "forbidden",
        message: "Only an admin can manage staff accounts.",
        correlationId: "not-an-admin",
      });
    }
    expect((await signIn(NEWCOMER.email, NEWCOMER.password)).status).toBe(401);
  });
});

describe("changing one's own password", SLOW, () => {
  const CHANGE = { currentPassword: TEST_STAFF.password, newPassword: "a brand new staple battery" };

  it("needs the current one; then other sessions end, this one stays, and only the new password signs in", async () => {
    await start();
    const here = await warehouse.staffHeaders();
    const elsewhere = await warehouse.staffHeaders();

    const res = await call(here, "/api/account/password", { method: "POST", body: CHANGE });
    expect(res.status).toBe(204);
    expect(await stillSignedIn(here)).toBe(true);
    expect(await stillSignedIn(elsewhere)).toBe(false);
    expect((await signIn(TEST_STAFF.email, TEST_STAFF.password)).status).toBe(401);
    expect((await signIn(TEST_STAFF.email, CHANGE.newPassword)).status).toBe(200);
  });

  it("refuses a wrong current password with 422, and counts it as the sign-in throttle counts a guess", async () => {
    await start();
    const staff = await warehouse.staffHeaders();
    const wrong = { ...CHANGE, currentPassword: "not my password at all" };

    const first = await call(staff, "/api/account/password", { method: "POST", body: wrong });
    expect(first.status).toBe(422);
    expect(await first.json()).toMatchObject({ error: "wrong_password", message: "That is not your current password." });
    for (let n = 1; n < SIGN_IN_LIMITS.pair.attempts; n++) await call(staff, "/api/account/password", { method: "POST", body: wrong });

    const throttled = await call(staff, "/api/account/password", { method: "POST", body: CHANGE });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    // The same counter as sign-in: this client's guesses at the account are used up there too.
    expect((await signIn(TEST_STAFF.email, TEST_STAFF.password)).status).toBe(429);
  });

  it.each([
    ["too short", { newPassword: "short" }, "newPassword", "Use at least 12 characters."],
    ["only spaces", { newPassword: " ".repeat(14) }, "newPassword", "Use more than spaces."],
    ["the current one again", { newPassword: TEST_STAFF.password }, "newPassword", "Choose a password other than the current one."],
    ["too long", { newPassword: "x".repeat(201) }, "newPassword", "Use at most 200 characters."],
    ["without the current one", { currentPassword: "" }, "currentPassword", "Give your current password."],
  ])("refuses a new password %s, naming the field and the rule", async (_, change, path, message) => {
    await start();
    const staff = await warehouse.staffHeaders();

    const res = await call(staff, "/api/account/password", { method: "POST", body: { ...CHANGE, ...change } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "validation_failed", issues: [{ path, message }] });
  });

  it("refuses, past the password budget, with 503 and Retry-After, as sign-in does", async () => {
    await start({ passwordChecks: { atOnce: 1, share: 1, burstMs: 60_000 } });
    const staff = await warehouse.staffHeaders();

    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        call(staff, "/api/account/password", { method: "POST", body: { ...CHANGE, currentPassword: "wrong guess" } }),
      ),
    );
    const busy = answers.filter((res) => res.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]?.headers.get("retry-after")).toBe("1");
    expect(await busy[0]?.json()).toMatchObject({ error: "busy" });
  });
});

describe("account rules for every password an admin sets", SLOW, () => {
  it.each([
    ["a short first password", { password: "short" }, "password", "Use at least 12 characters."],
    ["the email as the password", { password: "nia@warehouse.test" }, "password", "Use something other than the email address."],
    ["no name", { name: "  " }, "name", "Give a name."],
    ["an email that is not one", { email: "nia" }, "email", "Give an email address."],
    ["a role that is not one", { role: "owner" }, "role", expect.any(String)],
  ])("refuses %s, naming the field", async (_, change, path, message) => {
    await start();
    const admin = await warehouse.adminHeaders();

    const res = await call(admin, "/api/staff", { method: "POST", body: { ...NEWCOMER, ...change } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "validation_failed", issues: [{ path, message }] });
  });
});

describe("the audit trail of account changes", SLOW, () => {
  it("logs each change with the acting admin's id and the request's correlation ID, and never a password", async () => {
    await start({ logFile: true });
    const admin = await warehouse.adminHeaders();
    const adminId = await idOf(admin);

    const { id } = (await (
      await call(admin, "/api/staff", { method: "POST", body: NEWCOMER, correlationId: "add-nia" })
    ).json()) as StaffAccountJson;
    await call(admin, `/api/staff/${id}/password`, {
      method: "POST",
      body: { password: "a reset password for nia" },
      correlationId: "reset-nia",
    });
    await call(admin, `/api/staff/${id}`, { method: "PATCH", body: { disabled: true }, correlationId: "disable-nia" });
    const sam = await warehouse.staffHeaders();
    await call(sam, "/api/account/password", {
      method: "POST",
      body: { currentPassword: TEST_STAFF.password, newPassword: "sam's own new password" },
      correlationId: "sam-changes-own",
    });

    await new Promise<void>((resolve) => {
      warehouse.logger.flush(() => {
        resolve();
      });
    });
    const log = readFileSync(warehouse.logFile ?? "", "utf8");
    const lines = readLogLines(log);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: "staff account added", staffId: adminId, accountId: id, role: "staff", correlationId: "add-nia" }),
        expect.objectContaining({ msg: "staff password reset", staffId: adminId, accountId: id, correlationId: "reset-nia" }),
        expect.objectContaining({
          msg: "staff account changed",
          staffId: adminId,
          accountId: id,
          disabled: true,
          correlationId: "disable-nia",
        }),
        expect.objectContaining({ msg: "own password changed", correlationId: "sam-changes-own" }),
      ]),
    );
    for (const secret of [NEWCOMER.password, "a reset password for nia", "sam's own new password", TEST_STAFF.password, "scrypt$"]) {
      expect(log).not.toContain(secret);
    }
  });
});
