import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Page } from "@playwright/test";

import { ada, addToCart, fillCheckout, placeOrder } from "../fixtures/checkout";
import { expect, REPO_ROOT, test } from "../fixtures/stack";

// Every store page at a phone's width and a desktop's: nothing scrolls sideways, and with
// SCREENSHOTS=1 (npm run screenshots) each is saved to docs/screenshots for people to look at.
const SAVE = process.env.SCREENSHOTS === "1";
const OUT = join(REPO_ROOT, "docs/screenshots");

async function look(page: Page, name: string, width: number) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} at ${width} px scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
  if (SAVE) {
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, `store-${name}-${width}.png`), fullPage: true });
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
