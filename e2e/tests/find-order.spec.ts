import type { Browser, Page } from "@playwright/test";

import { ada, fillCheckout, placeOrder } from "../fixtures/checkout";
import { expect, test } from "../fixtures/stack";

// Guest order lookup: an order placed in one browser, found in another (a phone, a colleague's laptop)
// by the email it was placed with and its number.

/** Places an order in this browser and returns its number. */
async function orderPlaced(page: Page, reference: string): Promise<string> {
  await fillCheckout(page, { ...ada, reference });
  await placeOrder(page);
  await expect(page).toHaveURL(/\/orders\/ST-\d{6}\?placed$/);
  return (await page.getByTestId("order-number").textContent()) ?? "";
}

/** Another device: a browser context with none of this one's cookies. */
async function anotherDevice(browser: Browser, page: Page, options: { width: number; javaScriptEnabled?: boolean }) {
  const context = await browser.newContext({
    baseURL: new URL(page.url()).origin,
    viewport: { width: options.width, height: 844 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  return { context, page: await context.newPage() };
}

/** The form's answer box (Next's route announcer is an alert too, without a heading). */
const answer = (page: Page) => page.getByRole("alert").filter({ has: page.getByRole("heading") });

async function lookUp(page: Page, email: string, orderNumber: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Order number").fill(orderNumber);
  await page.getByRole("button", { name: "Find order" }).click();
}

for (const width of [390, 1280]) {
  test(`at ${width} px, a customer finds an order placed in another browser by email and number; a wrong one is answered alike`, async ({
    page,
    browser,
  }) => {
    const orderNumber = await orderPlaced(page, `PO-FIND-${width}`);
    const phone = await anotherDevice(browser, page, { width });

    await phone.page.goto("/orders");
    await expect(phone.page.getByRole("row").filter({ hasText: orderNumber })).toHaveCount(0);
    await phone.page.getByRole("link", { name: "Find an order" }).click();

    await lookUp(phone.page, "someone.else@example.com", orderNumber);
    const wrongEmail = answer(phone.page);
    await expect(wrongEmail).toContainText("We couldn’t find that order");
    await expect(wrongEmail.getByTestId("reference")).toHaveText(/^[0-9a-f-]{36}$/);
    const wrongEmailText = (await wrongEmail.locator("p").first().textContent()) ?? "";
    // What was typed stays, to correct.
    await expect(phone.page.getByLabel("Email")).toHaveValue("someone.else@example.com");

    await lookUp(phone.page, ada.email, "ST-999998");
    await expect(answer(phone.page).locator("p").first()).toHaveText(wrongEmailText);

    // As people type it: another case, no dash.
    await lookUp(phone.page, ada.email.toUpperCase(), orderNumber.toLowerCase().replace("-", ""));
    await expect(phone.page).toHaveURL(new RegExp(`/orders/${orderNumber}$`));
    await expect(phone.page.getByRole("heading", { level: 1, name: `Order ${orderNumber}` })).toBeVisible();
    // From then on it is this browser's too.
    await phone.page.goto("/orders");
    await expect(
      phone.page
        .getByRole("row")
        .filter({ hasText: `PO-FIND-${width}` })
        .getByRole("rowheader"),
    ).toHaveText(orderNumber);
    await phone.context.close();
  });
}

test("the lookup works without JavaScript", async ({ page, browser }) => {
  const orderNumber = await orderPlaced(page, "PO-FIND-NOJS");
  const phone = await anotherDevice(browser, page, { width: 390, javaScriptEnabled: false });

  await phone.page.goto("/orders/find");
  await lookUp(phone.page, ada.email, "nobody");
  await expect(phone.page.getByText("Enter the order number, like ST-000123.")).toBeVisible();
  await lookUp(phone.page, ada.email, orderNumber);
  await expect(phone.page.getByRole("heading", { level: 1, name: `Order ${orderNumber}` })).toBeVisible();
  await phone.context.close();
});

test("guesses at one order's email are stopped after five, even from fresh browsers, and the right email then waits too", async ({
  page,
  browser,
}) => {
  const orderNumber = await orderPlaced(page, "PO-FIND-GUESS");
  for (let guess = 1; guess <= 5; guess++) {
    const guesser = await anotherDevice(browser, page, { width: 1280 });
    await guesser.page.goto("/orders/find");
    await lookUp(guesser.page, `guess${guess}@example.com`, orderNumber);
    await expect(answer(guesser.page)).toContainText("We couldn’t find that order");
    await guesser.context.close();
  }
  const owner = await anotherDevice(browser, page, { width: 1280 });
  await owner.page.goto("/orders/find");
  await lookUp(owner.page, ada.email, orderNumber);
  await expect(answer(owner.page)).toContainText("Too many attempts");
  await expect(answer(owner.page)).toContainText(/Please wait 15 minutes/);
  await owner.page.goto(`/orders/${orderNumber}`);
  await expect(owner.page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await owner.context.close();
});
