import type { Page } from "@playwright/test";

import { atEachSize, newStaffEmail, openDashboard, signIn, staffApi, test } from "../fixtures/dashboard";
import { expect } from "../fixtures/stack";

// Staff accounts in the dashboard: an admin (the warehouse's first account) manages them; everyone
// changes their own password. The API holds the line for a staff member who calls it directly.

/** The account's row on the accounts page. */
const accountRow = (dashboard: Page, email: string) =>
  dashboard.getByRole("list", { name: "Staff accounts" }).getByRole("listitem").filter({ hasText: email });

const signedIn = (dashboard: Page) => expect(dashboard.getByRole("button", { name: "Sign out" })).toBeVisible();

atEachSize(({ width }) => {
  test("an admin adds a staff account, resets its password and disables it; the staff member sees no account management and the API refuses them", async ({
    browser,
    dashboard,
    playwright,
    stack,
    viewport,
  }) => {
    const hire = { name: `Hana Hire ${width}`, email: newStaffEmail("hire"), password: "the first password for hana" };
    await signIn(dashboard);
    await dashboard.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Staff accounts" }).click();
    await expect(dashboard.getByRole("heading", { name: "Staff accounts", level: 1 })).toBeVisible();

    // A password that breaks the rule is refused with the rule, naming the field.
    await dashboard.getByLabel("Name", { exact: true }).fill(hire.name);
    await dashboard.getByLabel("Email", { exact: true }).fill(hire.email);
    await dashboard.getByLabel("Role", { exact: true }).selectOption("staff");
    await dashboard.getByLabel("First password").fill("too short");
    await dashboard.getByRole("button", { name: "Add account" }).click();
    await expect(dashboard.getByRole("alert").filter({ hasText: "The account was not added" })).toContainText(
      "Password: Use at least 12 characters.",
    );
    await dashboard.getByLabel("First password").fill(hire.password);
    await dashboard.getByRole("button", { name: "Add account" }).click();
    await expect(accountRow(dashboard, hire.email)).toContainText("Staff");

    // The new staff member signs in: orders, but no account management, and the API says no too.
    const staff = await openDashboard(browser, stack, viewport);
    const api = await playwright.request.newContext({ baseURL: stack.warehouseUrl });
    try {
      await signIn(staff, hire.password, hire.email);
      await signedIn(staff);
      await expect(staff.getByRole("link", { name: "Staff accounts" })).toHaveCount(0);
      await staff.goto(`${stack.dashboardUrl}accounts`);
      await expect(staff.getByText("Only an admin can manage staff accounts.")).toBeVisible();
      await expect(staff.getByRole("button", { name: /^Disable/ })).toHaveCount(0);
      const asStaff = await staffApi(api, hire.email, hire.password);
      const refused = await asStaff.get("/api/staff");
      expect(refused.status()).toBe(403);
      expect(await refused.json()).toMatchObject({
        error: "forbidden",
        message: "Only an admin can manage staff accounts.",
        correlationId: expect.any(String),
      });
      expect((await asStaff.post("/api/staff", { ...hire, email: newStaffEmail("sneaky"), role: "admin" })).status()).toBe(403);

      // The admin resets the password: the staff member's session ends, and the new password is the one.
      const row = accountRow(dashboard, hire.email);
      await row.getByRole("button", { name: `Reset password of ${hire.name}` }).click();
      await row.getByLabel(`New password for ${hire.name}`).fill("the reset password for hana");
      await row.getByRole("button", { name: "Set password", exact: true }).click();
      await expect(dashboard.getByText(`${hire.name}'s password is reset; they are signed out everywhere.`)).toBeAttached();
      await staff.reload();
      await expect(staff.getByRole("heading", { name: "Sign in" })).toBeVisible();
      await signIn(staff, "the reset password for hana", hire.email);
      await signedIn(staff);

      // Disabled: signed out at once, and the right password no longer lets them in.
      await row.getByRole("button", { name: `Disable ${hire.name}` }).click();
      await expect(row).toContainText("Disabled");
      await expect(dashboard.getByText(`${hire.name} is disabled and signed out.`)).toBeAttached();
      await staff.reload();
      await expect(staff.getByRole("heading", { name: "Sign in" })).toBeVisible();
      await signIn(staff, "the reset password for hana", hire.email);
      await expect(staff.getByRole("alert")).toContainText("Wrong email or password.");

      // And the admin cannot lock themselves out: their own row has no Disable.
      await expect(accountRow(dashboard, "(you)").getByRole("button", { name: /^Disable/ })).toHaveCount(0);
    } finally {
      await api.dispose();
      await staff.context().close();
    }
  });

  test("a staff member changes their own password with the current one, then signs in with the new one", async ({
    dashboard,
    playwright,
    stack,
  }) => {
    const me = { name: `Sol Staff ${width}`, email: newStaffEmail("sol"), password: "sol's first password here" };
    const api = await playwright.request.newContext({ baseURL: stack.warehouseUrl });
    try {
      const admin = await staffApi(api);
      expect((await admin.post("/api/staff", { ...me, role: "staff" })).status()).toBe(201);
    } finally {
      await api.dispose();
    }

    await signIn(dashboard, me.password, me.email);
    await dashboard.getByRole("link", { name: "Change password" }).click();
    await expect(dashboard.getByRole("heading", { name: "Change your password" })).toBeVisible();

    const change = async (current: string, next: string, again = next) => {
      await dashboard.getByLabel("Current password").fill(current);
      await dashboard.getByLabel("New password", { exact: true }).fill(next);
      await dashboard.getByLabel("New password again").fill(again);
      await dashboard.getByRole("button", { name: "Change password" }).click();
    };
    await change(me.password, "sol's new password now", "a different one");
    await expect(dashboard.getByRole("alert")).toContainText("The two new passwords differ");
    await change("not my password at all", "sol's new password now");
    await expect(dashboard.getByRole("alert").filter({ hasText: "Your password was not changed" })).toContainText(
      "That is not your current password.",
    );
    await change(me.password, "sol's new password now");
    await expect(dashboard.getByRole("status").filter({ hasText: "Your password is changed." })).toBeVisible();

    await dashboard.getByRole("button", { name: "Sign out" }).click();
    await signIn(dashboard, me.password, me.email);
    await expect(dashboard.getByRole("alert")).toContainText("Wrong email or password.");
    await signIn(dashboard, "sol's new password now", me.email);
    await signedIn(dashboard);
  });
});
