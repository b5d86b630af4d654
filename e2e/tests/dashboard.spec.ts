import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { ada, checkOut } from "../fixtures/checkout";
import { detailPanel, recordMoveIds, signIn, test } from "../fixtures/dashboard";
import { expect, REPO_ROOT, STAFF } from "../fixtures/stack";

test("an order placed in the Store appears without a reload; staff ship it and its trail ties both services together", async ({
  page,
  dashboard,
  stack,
}) => {
  await signIn(dashboard);
  await expect(dashboard.getByRole("button", { name: "Sign out" })).toBeVisible();
  const moveIds = recordMoveIds(dashboard);

  const placed = await checkOut(page, stack, { ...ada, reference: "PO-SHIP" });

  // The dashboard was open before the order existed and is never reloaded: polling brings the row in.
  const row = dashboard.getByRole("row").filter({ hasText: "PO-SHIP" });
  await expect(row).toContainText("Received");
  await row.getByRole("button", { name: /Open order/ }).click();

  const detail = detailPanel(dashboard);
  await expect(detail).toContainText(placed.warehouseOrderId);
  for (const to of ["picking", "packed", "shipped"]) {
    await detail.getByRole("button", { name: `Move to ${to}` }).click();
    await expect(dashboard.getByText(`Order ${placed.orderNumber} is now ${to}.`)).toBeAttached();
  }
  await expect(detail.getByText("No further steps: this order is shipped.")).toBeVisible();
  await expect(row).toContainText("Shipped");

  // The trail: the checkout's ID first (the customer's Reference), then one ID per staff click.
  const trail = detail.getByRole("list", { name: "Event trail" });
  await expect(trail.getByRole("listitem")).toHaveCount(4);
  expect(moveIds).toHaveLength(3);
  expect(new Set(moveIds).size).toBe(3);
  await expect(trail.locator("code")).toHaveText([placed.reference, ...moveIds]);
  await expect(trail.getByRole("listitem").first()).toContainText("store");
  for (const item of (await trail.getByRole("listitem").all()).slice(1)) await expect(item).toContainText(STAFF.email);

  // Each staff action's ID finds its line in the warehouse's log, as the checkout's does.
  await expect
    .poll(() => stack.logLines("warehouse-api"))
    .toEqual(
      expect.arrayContaining([
        expect.objectContaining({ correlationId: placed.reference, msg: "order received" }),
        ...moveIds.map((id) =>
          expect.objectContaining({ correlationId: id, msg: "order status changed", orderId: placed.warehouseOrderId }),
        ),
      ]),
    );
});

test("a move someone else has made impossible shows a clear message and the order's real status", async ({
  page,
  dashboard,
  playwright,
  stack,
}) => {
  const placed = await checkOut(page, stack, { ...ada, reference: "PO-CONFLICT" });
  await signIn(dashboard);
  const moveIds = recordMoveIds(dashboard);
  await dashboard.getByLabel("Search orders").fill(placed.warehouseOrderId);
  await dashboard
    .getByRole("row")
    .filter({ hasText: "PO-CONFLICT" })
    .getByRole("button", { name: /Open order/ })
    .click();
  const detail = detailPanel(dashboard);
  await expect(detail.getByRole("button", { name: "Move to picking" })).toBeVisible();

  // This tab is slow to refresh: its reads of the order fail until its own move has gone out, so the
  // page still offers "Move to picking" after a colleague has cancelled the order (otherwise a poll
  // landing between the cancel and the click would decide what this test sees).
  let moveSent = false;
  await dashboard.route(`**/api/orders/${placed.warehouseOrderId}**`, (route) => {
    if (route.request().method() === "POST") moveSent = true;
    return !moveSent && route.request().method() === "GET" ? route.abort() : route.continue();
  });

  const colleague = await playwright.request.newContext({ baseURL: stack.warehouseUrl });
  const session = await colleague.post("/api/session", { data: { email: STAFF.email, password: STAFF.password } });
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const cancelled = await colleague.post(`/api/orders/${placed.warehouseOrderId}/transitions`, {
    data: { to: "cancelled", reason: "The customer called to cancel" },
    headers: { "x-csrf-token": csrfToken },
  });
  expect(cancelled.status()).toBe(200);
  await colleague.dispose();

  await detail.getByRole("button", { name: "Move to picking" }).click();

  const alert = detail.getByRole("alert").filter({ hasText: "The order was not changed" });
  await expect(alert).toContainText("This order was already moved to cancelled by someone else.");
  expect(moveIds).toHaveLength(1);
  await expect(alert.locator("code")).toHaveText(moveIds[0] ?? "");
  // The optimistic "Picking" is rolled back and replaced by what the warehouse says.
  await expect(detail.getByText("No further steps: this order is cancelled.")).toBeVisible();
  await expect(detail.getByText("“The customer called to cancel”")).toBeVisible();
});

test("a wrong password is refused with a clear message and a reference", async ({ dashboard }) => {
  await signIn(dashboard, "not the password");

  const alert = dashboard.getByRole("alert");
  await expect(alert).toContainText("Wrong email or password.");
  await expect(alert.locator("code")).toHaveText(/^[0-9a-f-]{36}$/);
  await expect(dashboard.getByRole("button", { name: "Sign out" })).toHaveCount(0);
});

test("signing out ends the session: the old cookie no longer opens the staff API", async ({ dashboard, playwright, stack }) => {
  await signIn(dashboard);
  await expect(dashboard.getByRole("button", { name: "Sign out" })).toBeVisible();
  const cookie = (await dashboard.context().cookies()).find((c) => c.name === "fishtag_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Strict");

  const api = await playwright.request.newContext({ baseURL: stack.warehouseUrl });
  const ordersWith = (value: string) => api.get("/api/orders", { headers: { cookie: `fishtag_session=${value}` } });
  expect((await ordersWith(cookie?.value ?? "")).status()).toBe(200);

  await dashboard.getByRole("button", { name: "Sign out" }).click();
  await expect(dashboard.getByRole("heading", { name: "Sign in" })).toBeVisible();

  const refused = await ordersWith(cookie?.value ?? "");
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: "unauthenticated", message: "Sign in to continue." });
  await api.dispose();

  await dashboard.reload();
  await expect(dashboard.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("staff find an order by the number its customer quotes, see the customer's figures, and a cancellation's reason reaches the customer", async ({
  page,
  dashboard,
  stack,
}) => {
  const placed = await checkOut(page, stack, { ...ada, reference: "PO-NUMBER" }, { "Enamel mug": "2", "Sticker pack": "1" });
  await signIn(dashboard);

  // In any case, as a customer on the phone might spell it.
  await dashboard.getByLabel("Search orders").fill(placed.orderNumber.toLowerCase());
  await dashboard.getByRole("button", { name: `Open order ${placed.orderNumber}` }).click();
  const detail = detailPanel(dashboard);
  await expect(detail.getByRole("heading", { level: 2 })).toContainText(placed.orderNumber);
  await expect(detail).toContainText("PO-NUMBER");
  // The same figures the customer was charged: £34.00 of goods, £4.95 shipping, VAT included.
  await expect(detail.getByRole("row", { name: /Order total/ })).toContainText("£38.95");
  await expect(detail.getByRole("row", { name: /Includes VAT/ })).toContainText("£6.49");

  await detail.getByRole("button", { name: "Cancel order" }).click();
  await detail.getByLabel("Why is this order cancelled?").fill("Out of stock until March");
  await detail.getByRole("button", { name: "Confirm cancellation" }).click();
  await expect(dashboard.getByText(`Order ${placed.orderNumber} is now cancelled.`)).toBeAttached();

  // The customer's page, still open, hears of it and says why.
  await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("Cancelled");
  await expect(page.getByRole("list", { name: "What has happened" })).toContainText("Reason: Out of stock until March");

  // And the number alone finds the whole story in both services' logs.
  const { stdout } = await promisify(execFile)("npx", ["tsx", "tools/src/trace.ts", placed.orderNumber, "--logs", stack.logDir], {
    cwd: REPO_ROOT,
  });
  expect(stdout).toMatch(new RegExp(`^${placed.orderNumber}: \\d+ traces?, \\d+ log lines from .+, 2 requests`));
  expect(stdout).toMatch(/warehouse-api\s+INFO\s+order received/);
  expect(stdout).toMatch(/warehouse-api\s+INFO\s+order status changed/);
  expect(stdout).toMatch(/store-web\s+INFO\s+status event applied/);
});
