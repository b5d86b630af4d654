import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Page } from "@playwright/test";

import { ada, addToCart, checkOut, fillCheckout, placeOrder } from "../fixtures/checkout";
import { atEachSize, test as dashboardTest, detailPanel, signIn } from "../fixtures/dashboard";
import { expect, REPO_ROOT, test } from "../fixtures/stack";

// Every store and dashboard page at a phone's width and a desktop's: nothing scrolls sideways, and with
// SCREENSHOTS=1 (npm run screenshots) each is saved to docs/screenshots for people to look at.
const SAVE = process.env.SCREENSHOTS === "1";
const OUT = join(REPO_ROOT, "docs/screenshots");

/** With `fullPage: false` only the window is saved: for a page too long to take in as one picture. */
async function look(page: Page, name: string, width: number, site: "store" | "dashboard" = "store", { fullPage = true } = {}) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${site} ${name} at ${width} px scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
  if (SAVE) {
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, `${site}-${name}-${width}.png`), fullPage });
  }
}

for (const width of [390, 1280]) {
  test(`every store page fits ${width} px without scrolling sideways`, async ({ page }) => {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });

    await page.goto("/orders/new");
    await look(page, "checkout-empty", width);
    await page.goto("/products/TEE-FISH");
    await look(page, "product", width);
    await addToCart(page, { "Enamel mug": "2", "Fish-tag tee": "1" });
    await look(page, "catalog", width);
    await page.goto("/cart");
    await look(page, "cart", width);

    await fillCheckout(page, { ...ada, email: "not an email" }, {});
    await placeOrder(page);
    await expect(page.getByRole("alert").filter({ hasText: "Please correct the highlighted fields" })).toBeVisible();
    await look(page, "checkout-invalid", width);

    await page.getByLabel("Email", { exact: true }).fill(ada.email);
    await placeOrder(page);
    await expect(page.getByRole("status").filter({ hasText: "is placed" })).toBeVisible();
    await look(page, "order-placed", width);

    await page.goto("/orders");
    await look(page, "orders", width);
    await page.goto("/orders/ST-999999");
    await look(page, "not-found", width);
    await page.goto("/orders/find");
    await page.getByRole("button", { name: "Find order" }).click();
    await expect(page.getByText("Enter the order number, like ST-000123.")).toBeVisible();
    await look(page, "find-order", width);
  });
}

atEachSize(({ width }) => {
  dashboardTest(
    `every dashboard page, and the API reference, fits ${width} px without scrolling sideways`,
    async ({ page, dashboard, stack }) => {
      const placed = await checkOut(page, stack, { ...ada, reference: `PO-LAYOUT-${width}` });
      const lookAt = (name: string, options?: { fullPage: boolean }) => look(dashboard, name, width, "dashboard", options);

      await expect(dashboard.getByRole("heading", { name: "Sign in" })).toBeVisible();
      await lookAt("sign-in");
      await signIn(dashboard);
      await expect(dashboard.getByRole("button", { name: `Open order ${placed.orderNumber}` })).toBeVisible();
      await lookAt("orders");

      await dashboard.getByRole("button", { name: `Open order ${placed.orderNumber}` }).click();
      await expect(detailPanel(dashboard).getByRole("list", { name: "Event trail" })).toBeVisible();
      await lookAt("order");
      // The checkout's step with its trace open: the store's and the warehouse's spans on one time line.
      const step = detailPanel(dashboard).getByRole("list", { name: "Event trail" }).getByRole("listitem").first();
      await step.getByRole("button", { name: /Trace/ }).click();
      const spans = step.getByRole("region", { name: /^Trace / }).getByRole("listitem");
      await expect(spans.filter({ hasText: "warehouse-api" }).first()).toBeVisible();
      await expect(spans.filter({ hasText: "store-web" }).first()).toBeVisible();
      await step.scrollIntoViewIfNeeded();
      await lookAt("order-trace", { fullPage: false });

      await dashboard.goto(`${stack.dashboardUrl}accounts`);
      await expect(dashboard.getByRole("list", { name: "Staff accounts" })).toBeVisible();
      await lookAt("accounts");
      await dashboard.goto(`${stack.dashboardUrl}password`);
      await expect(dashboard.getByRole("heading", { name: "Change your password" })).toBeVisible();
      await lookAt("password");

      // The reference loads nothing the warehouse's CSP would block (a blocked style or script is a console error).
      const consoleErrors: string[] = [];
      dashboard.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      await dashboard.goto(`${stack.warehouseUrl}/docs`);
      await expect(dashboard.getByRole("heading", { name: "fishtag Warehouse API", level: 1 })).toBeVisible();
      await expect(dashboard.getByRole("heading", { name: "POST /api/orders", exact: true })).toBeVisible();
      expect(consoleErrors).toEqual([]);
      // Some 20,000 px long: its first screen shows how it looks.
      await lookAt("api-docs", { fullPage: false });
    },
  );
});
