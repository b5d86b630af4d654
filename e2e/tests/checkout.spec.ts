import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { ada, addToCart, fillCheckout, placeOrder, warehouseOrderIdOf } from "../fixtures/checkout";
import { expect, REPO_ROOT, test } from "../fixtures/stack";

test("a placed order is confirmed on its own page, with its number and support reference, and stays confirmed on reload and Back", async ({
  page,
}) => {
  await fillCheckout(page, ada, { "Enamel mug": "2", "Sticker pack": "1" });
  // £34.00 of goods and £4.95 shipping (under £50), VAT included.
  await expect(page.getByTestId("lines-total")).toHaveText("£38.95");
  await expect(page.getByRole("row", { name: /Includes VAT/ })).toContainText("£6.49");
  await placeOrder(page);

  await expect(page).toHaveURL(/\/orders\/ST-\d{6}\?placed$/);
  const outcome = page.getByRole("status").filter({ hasText: "is placed" });
  await expect(outcome.getByTestId("order-number")).toHaveText(/^ST-\d{6}$/);
  const orderNumber = (await outcome.getByTestId("order-number").textContent()) ?? "";
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Order ${orderNumber}`);
  await expect(page.getByTestId("lines-total")).toHaveText("£38.95");
  // The support reference, once, and nothing of the warehouse's.
  await expect(page.getByTestId("reference")).toHaveCount(1);
  await expect(page.getByTestId("reference")).toHaveText(/^[0-9a-f-]{36}$/);
  await expect(page.getByText(/warehouse order/i)).toHaveCount(0);
  // A placed order empties the cart.
  await expect(page.getByRole("link", { name: "Cart 0 items" })).toBeVisible();

  await page.reload();
  await expect(page.getByRole("status").filter({ hasText: "is placed" })).toBeVisible();
  await page.goBack();
  await expect(page.getByText("Your cart is empty.")).toBeVisible();
  await page.goForward();
  await expect(page.getByRole("status").filter({ hasText: "is placed" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Cart 0 items" })).toBeVisible();
});

test("a customer changes quantities and removes items in the cart; totals come from the store", async ({ page }) => {
  await addToCart(page, { "Enamel mug": "1", "Canvas tote": "1" });
  await expect(page.getByRole("link", { name: "Cart 2 items" })).toBeVisible();
  await page.getByRole("link", { name: /^Cart/ }).click();
  // The catalog has "Quantity of …" fields too: be on the cart before typing.
  await expect(page.getByRole("heading", { name: "Your cart" })).toBeVisible();

  await page.getByLabel("Quantity of Enamel mug").fill("3");
  await page.getByRole("button", { name: "Update Enamel mug" }).click();
  await expect(page.getByTestId("cart-total")).toHaveText("£61.50");

  await page.getByLabel("Quantity of Enamel mug").fill("100");
  await page.getByRole("button", { name: "Update Enamel mug" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "At most 99 of each item." })).toBeVisible();
  await expect(page.getByTestId("cart-total")).toHaveText("£61.50");

  await page.getByRole("button", { name: "Remove Canvas tote" }).click();
  await expect(page.getByRole("heading", { name: "Canvas tote" })).toHaveCount(0);
  // Under £50 of goods: £4.95 shipping.
  await expect(page.getByTestId("cart-total")).toHaveText("£48.45");
});

test("a customer follows their order; another browser cannot see it", async ({ page, browser }) => {
  await fillCheckout(page, { ...ada, reference: "PO-FOLLOW" });
  await placeOrder(page);
  const orderNumber = (await page.getByTestId("order-number").textContent()) ?? "";

  await expect(page.getByRole("heading", { level: 1, name: `Order ${orderNumber}` })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("Received");
  const history = page.getByRole("list", { name: "What has happened" }).getByRole("listitem");
  await expect(history).toHaveCount(2);
  // In words and the reader's time, with its zone named; no references on every line.
  // (The browser's own format: "Dec 1, 2026, 04:11 PM UTC" in en-US, ending with the zone's name.)
  await expect(history.first()).toHaveText(/^Order placed .*\d{4}.*\d{1,2}:\d{2}.* (UTC|GMT[+-]?[\d:]*|[A-Z]{3,5})$/);
  await page.getByRole("link", { name: "Your orders" }).click();
  const row = page.getByRole("row").filter({ hasText: "PO-FOLLOW" });
  await expect(row.getByRole("rowheader")).toHaveText(orderNumber);
  // Placed, reference, status, items (two mugs), total.
  await expect(row.getByRole("cell")).toHaveText([/\d{4}/, "PO-FOLLOW", "Received", "2", "£33.95"]);

  const stranger = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const strangerPage = await stranger.newPage();
  const response = await strangerPage.goto(`/orders/${orderNumber}`);
  expect(response?.status()).toBe(404);
  expect((await strangerPage.request.get(`/api/orders/${orderNumber}`)).status()).toBe(404);
  await stranger.close();
});

test("one reference finds the order in both services' logs and in the trace", async ({ page, stack }) => {
  await fillCheckout(page, { ...ada, reference: "PO-TRACE" });
  await placeOrder(page);
  const reference = (await page.getByTestId("reference").textContent()) ?? "";
  const orderNumber = (await page.getByTestId("order-number").textContent()) ?? "";
  expect(reference).not.toBe("");
  const orderId = await warehouseOrderIdOf(stack, orderNumber);

  // The store writes its access line when the response has finished, a moment after the browser has it.
  await expect
    .poll(() =>
      stack
        .logLines("store-web")
        .filter((line) => line.correlationId === reference)
        .map((line) => line.msg),
    )
    .toEqual(expect.arrayContaining(["checkout: sending the order to the warehouse", "warehouse accepted the order", "request completed"]));
  const warehouseLines = stack.logLines("warehouse-api").filter((line) => line.correlationId === reference);
  expect(warehouseLines).toContainEqual(expect.objectContaining({ msg: "order received", orderId }));
  expect(warehouseLines).toContainEqual(
    expect.objectContaining({ msg: "request completed", method: "POST", path: "/api/orders", status: 201 }),
  );

  // And one trace: the store's action, its call, the warehouse's route and the order's write, nested so.
  const spans = () => stack.traces.traces(stack.traces.traceIdsOf([reference]));
  await expect
    .poll(() => spans().map((span) => `${span.service} ${span.name}`))
    .toEqual(
      expect.arrayContaining([
        "store-web POST /orders/new",
        "store-web action checkout",
        "store-web send order to warehouse",
        "store-web POST /api/orders",
        "warehouse-api POST /api/orders",
        "warehouse-api INSERT orders",
      ]),
    );
  expect(new Set(spans().map((span) => span.traceId)).size).toBe(1);
  const named = (service: string, name: string) => spans().find((span) => span.service === service && span.name === name);
  expect(named("warehouse-api", "POST /api/orders")?.parentSpanId).toBe(named("store-web", "POST /api/orders")?.spanId);
  expect(named("warehouse-api", "INSERT orders")?.parentSpanId).toBe(named("warehouse-api", "POST /api/orders")?.spanId);

  const { stdout } = await promisify(execFile)("npx", ["tsx", "tools/src/trace.ts", reference, "--logs", stack.logDir], { cwd: REPO_ROOT });
  expect(stdout).toContain(`${reference}: `);
  expect(stdout).toMatch(/warehouse-api\s+INFO\s+order received/);
  expect(stdout).toMatch(/store-web\s+INFO\s+request completed: POST \/orders\/new → 200/);
});

test("a reference starting with F is rejected with a clear message and its reference", async ({ page, stack }) => {
  await fillCheckout(page, { ...ada, reference: "F-1234" });
  await placeOrder(page);

  const alert = page.getByRole("alert").filter({ hasText: "The warehouse rejected this order" });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('does not accept references starting with "F"');
  const reference = (await alert.getByTestId("reference").textContent()) ?? "";
  expect(reference).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByLabel("PO number")).toHaveValue("F-1234");

  await expect
    .poll(() => stack.logLines("store-web").find((line) => line.correlationId === reference && line.level === "warn")?.msg)
    .toBe("order creation: the warehouse rejected the order");
  expect(stack.logLines("warehouse-api")).toContainEqual(
    expect.objectContaining({ correlationId: reference, level: "warn", msg: "order rejected" }),
  );
});

test("invalid input shows field errors and keeps what was typed", async ({ page }) => {
  await fillCheckout(page, { ...ada, email: "ada-at-example", city: "" }, { "Sticker pack": "1" });
  await placeOrder(page);

  await expect(page.getByRole("alert").filter({ hasText: "Please correct the highlighted fields" })).toBeVisible();
  await expect(page.getByText("Enter an email address like name@example.com.")).toBeVisible();
  await expect(page.getByText("Enter a town or city.")).toBeVisible();
  const email = page.getByLabel("Email");
  await expect(email).toHaveValue("ada-at-example");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Full name")).toHaveValue("Ada Lovelace");
});

test("with the warehouse down the order is accepted with its number and reference, the store keeps serving, and the order is received once the warehouse is back", async ({
  page,
  stack,
}) => {
  // The relay's backoff and the circuit breaker's half-open wait come on top of the usual steps.
  test.setTimeout(90_000);
  await stack.stopWarehouse();
  await fillCheckout(page, { ...ada, reference: "PO-OUTBOX" });
  await placeOrder(page);

  const outcome = page.getByRole("status").filter({ hasText: "accepted — awaiting warehouse confirmation" });
  await expect(outcome).toBeVisible();
  const orderNumber = (await outcome.getByTestId("order-number").textContent()) ?? "";
  expect(orderNumber).toMatch(/^ST-\d{6}$/);
  await expect(outcome.getByRole("heading")).toHaveText(`Order ${orderNumber} accepted — awaiting warehouse confirmation`);
  await expect(outcome).toContainText("your order is safe with us");
  const reference = (await page.getByTestId("reference").textContent()) ?? "";
  expect(reference).toMatch(/^[0-9a-f-]{36}$/);
  // The order is safe in the store's outbox: the cart is emptied as for a placed one.
  await expect(page.getByRole("link", { name: "Cart 0 items" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("Awaiting warehouse confirmation");
  await expect(page.getByRole("list", { name: "What has happened" })).toContainText("Awaiting warehouse confirmation");

  // The store keeps serving meanwhile.
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Small goods, traced all the way" })).toBeVisible();

  // The store's relay delivers it once the warehouse is back (after its backoff and the breaker's
  // half-open wait): the order page, which polls, shows it without a reload.
  await page.goto(`/orders/${orderNumber}?accepted`);
  await stack.startWarehouse();
  await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("Received", { timeout: 60_000 });
  await expect(page.getByRole("status").filter({ hasText: "is placed" })).toBeVisible();
  await warehouseOrderIdOf(stack, orderNumber);
  // The late delivery ran under the checkout's reference: the trace finds it in both services.
  expect(stack.logLines("store-web")).toContainEqual(
    expect.objectContaining({ correlationId: reference, msg: "order delivered to the warehouse", status: "received" }),
  );
  expect(stack.logLines("warehouse-api")).toContainEqual(expect.objectContaining({ correlationId: reference, msg: "order received" }));
  // And the checkout's trace shows it: the relay's delivery, seconds later, linked to the checkout's
  // action and continuing its trace into the warehouse's route.
  const spans = () => stack.traces.traces(stack.traces.traceIdsOf([reference]));
  await expect
    .poll(() => spans().map((span) => `${span.service} ${span.name}`))
    .toEqual(expect.arrayContaining(["store-web action checkout", "store-web order outbox delivery", "warehouse-api POST /api/orders"]));
  const action = spans().find((span) => span.name === "action checkout");
  const delivery = spans().filter((span) => span.name === "order outbox delivery");
  expect(delivery.every((span) => span.traceId === action?.traceId && span.parentSpanId === action.spanId)).toBe(true);
  expect(spans().find((span) => span.service === "warehouse-api" && span.name === "POST /api/orders")?.traceId).toBe(action?.traceId);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the checkout still places an order, and the confirmation page survives a reload", async ({ page }) => {
    await fillCheckout(page, { ...ada, reference: "PO-NOJS" });
    await placeOrder(page);

    await expect(page).toHaveURL(/\/orders\/ST-\d{6}\?placed$/);
    await expect(page.getByRole("heading", { name: /is placed/ })).toBeVisible();
    await expect(page.getByTestId("reference")).toHaveText(/^[0-9a-f-]{36}$/);
    // Without JavaScript the time is the server's, in UTC, and says so.
    await expect(page.getByRole("list", { name: "What has happened" })).toContainText("UTC");
    await page.reload();
    await expect(page.getByRole("heading", { name: /is placed/ })).toBeVisible();
  });
});
