import { ada, checkOut } from "../fixtures/checkout";
import { atEachSize, detailPanel, openDashboard, signIn, test } from "../fixtures/dashboard";
import { expect } from "../fixtures/stack";

// The dashboard's address names the open order: a link can be pasted to a colleague, reloaded, and gone
// Back and Forward through, at a phone's width (where the order is a full-screen panel) as at a desk's.
atEachSize(({ width, height, phone }) => {
  const closeLabel = phone ? "All orders" : "Close order details";

  test("a pasted link to an order opens it after signing in, with no error in the console, and survives a reload", async ({
    browser,
    page,
    stack,
    viewport,
  }) => {
    const placed = await checkOut(page, stack, { ...ada, reference: `PO-LINK-${width}` });
    const link = `orders/${placed.warehouseOrderId}`;

    const colleague = await openDashboard(browser, stack, viewport, link);
    const consoleErrors: string[] = [];
    colleague.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    try {
      // Loaded again with the console watched from the start: the link, signed out.
      await colleague.reload();
      await expect(colleague.getByRole("heading", { name: "Sign in" })).toBeVisible();
      // Asking who is signed in, when nobody is, is not an error (it was a 401 in every console).
      expect(consoleErrors).toEqual([]);

      await signIn(colleague);
      const detail = detailPanel(colleague);
      await expect(detail.getByRole("heading", { level: 2 })).toContainText(placed.orderNumber);
      expect(new URL(colleague.url()).pathname).toBe(`/${link}`);
      await expect(colleague).toHaveTitle(`Order ${placed.orderNumber} · fishtag warehouse`);

      await colleague.reload();
      await expect(detail.getByRole("heading", { level: 2 })).toContainText(placed.orderNumber);
      await expect(detail).toContainText("PO-LINK-");
    } finally {
      await colleague.context().close();
    }
  });

  test("Back and Forward go between the list and the orders opened from it; Close is Back", async ({ page, dashboard, stack }) => {
    const first = await checkOut(page, stack, { ...ada, reference: `PO-BACK-${width}-1` });
    const second = await checkOut(page, stack, { ...ada, reference: `PO-BACK-${width}-2` });
    await signIn(dashboard);
    const detail = detailPanel(dashboard);
    const heading = detail.getByRole("heading", { level: 2 });
    const path = () => new URL(dashboard.url()).pathname;

    await dashboard.getByRole("button", { name: `Open order ${first.orderNumber}` }).click();
    await expect(heading).toContainText(first.orderNumber);
    expect(path()).toBe(`/orders/${first.warehouseOrderId}`);

    await dashboard.goBack();
    expect(path()).toBe("/");
    if (phone) await expect(detail).toBeHidden();
    else await expect(detail).toContainText("Select an order");
    // Back on the list, the keyboard is where it left it: on the order's row.
    await expect(dashboard.getByRole("button", { name: `Open order ${first.orderNumber}` })).toBeFocused();

    await dashboard.goForward();
    await expect(heading).toContainText(first.orderNumber);

    await dashboard.getByRole("button", { name: closeLabel }).click();
    expect(path()).toBe("/");
    await dashboard.getByRole("button", { name: `Open order ${second.orderNumber}` }).click();
    await expect(heading).toContainText(second.orderNumber);
    expect(path()).toBe(`/orders/${second.warehouseOrderId}`);
    await dashboard.goBack();
    expect(path()).toBe("/");
    await expect(dashboard.getByRole("button", { name: `Open order ${second.orderNumber}` })).toBeVisible();
  });

  test("a link to an order that does not exist says so, and leads back to the list", async ({ dashboard, stack }) => {
    await signIn(dashboard);
    await expect(dashboard.getByRole("button", { name: "Sign out" })).toBeVisible();

    for (const id of [crypto.randomUUID(), "not-an-order-id"]) {
      await dashboard.goto(`${stack.dashboardUrl}orders/${id}`);
      const detail = detailPanel(dashboard);
      await expect(detail.getByRole("heading", { name: "Order not found" })).toBeVisible();
      await expect(detail).toContainText(`No order has the id ${id}.`);
      await expect(dashboard).toHaveTitle("Order not found · fishtag warehouse");
    }
    await detailPanel(dashboard).getByRole("button", { name: closeLabel }).click();
    await expect(dashboard.getByLabel("Search orders")).toBeVisible();
  });

  test("an order's times show the reader's own time zone by name, and its country by name", async ({ browser, page, stack }) => {
    const placed = await checkOut(page, stack, { ...ada, reference: `PO-ZONE-${width}` });
    const context = await browser.newContext({ viewport: { width, height }, timezoneId: "Asia/Tokyo" });
    try {
      const tokyo = await context.newPage();
      await tokyo.goto(`${stack.dashboardUrl}orders/${placed.warehouseOrderId}`);
      await signIn(tokyo);
      const detail = detailPanel(tokyo);
      const facts = detail.getByRole("definition");
      await expect(facts.filter({ hasText: /^\d{1,2} \w{3,4} \d{4}, \d{2}:\d{2}:\d{2} GMT\+9$/ })).toHaveCount(1);
      await expect(facts.filter({ hasText: "United Kingdom" })).toHaveCount(1);
      await expect(detail.getByRole("list", { name: "Event trail" }).locator("time").first()).toHaveText(/GMT\+9$/);
    } finally {
      await context.close();
    }
  });
});

test("a link with the order's number, as its customer quotes it, opens the order at its own address", async ({
  browser,
  page,
  stack,
  viewport,
}) => {
  const placed = await checkOut(page, stack, { ...ada, reference: "PO-LINK-NUMBER" });
  const colleague = await openDashboard(browser, stack, viewport, `orders/${placed.orderNumber.toLowerCase()}`);
  try {
    await signIn(colleague);
    await expect(detailPanel(colleague).getByRole("heading", { level: 2 })).toContainText(placed.orderNumber);
    // Replaced, not pushed: the address is the order's own, and Back does not return to the number.
    await expect.poll(() => new URL(colleague.url()).pathname).toBe(`/orders/${placed.warehouseOrderId}`);
    await colleague.reload();
    await expect(detailPanel(colleague).getByRole("heading", { level: 2 })).toContainText(placed.orderNumber);
  } finally {
    await colleague.context().close();
  }
});
