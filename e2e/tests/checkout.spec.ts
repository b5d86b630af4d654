import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ada, fillCheckout, placeOrder } from "../fixtures/checkout";
import { expect, REPO_ROOT, test } from "../fixtures/stack";

test("a customer places an order and sees its order id and reference", async ({ page }) => {
  await fillCheckout(page, ada, { "Enamel mug": "2", "Sticker pack": "1" });
  await placeOrder(page);

  const outcome = page.getByRole("status").filter({ hasText: "Order placed" });
  await expect(outcome).toBeVisible();
  await expect(outcome).toContainText("£34.00");
  await expect(outcome.getByTestId("order-id")).toHaveText(/^[0-9a-f-]{36}$/);
  await expect(outcome.getByTestId("reference")).toHaveText(/^[0-9a-f-]{36}$/);
});

test("one reference finds the order in both services' logs and in the trace", async ({ page, stack }) => {
  await fillCheckout(page, { ...ada, reference: "PO-TRACE" });
  await placeOrder(page);
  const reference = (await page.getByTestId("reference").textContent()) ?? "";
  const orderId = (await page.getByTestId("order-id").textContent()) ?? "";
  expect(reference).not.toBe("");

  // The store writes its access line when the response has finished, a moment after the browser has it.
  await expect
    .poll(() => stack.logLines("store-web").filter((line) => line.correlationId === reference).map((line) => line.msg))
    .toEqual(expect.arrayContaining(["checkout: sending the order to the warehouse", "warehouse accepted the order", "request completed"]));
  const warehouseLines = stack.logLines("warehouse-api").filter((line) => line.correlationId === reference);
  expect(warehouseLines).toContainEqual(expect.objectContaining({ msg: "order received", orderId }));
  expect(warehouseLines).toContainEqual(expect.objectContaining({ msg: "request completed", method: "POST", path: "/api/orders", status: 201 }));

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
  await expect(page.getByLabel("PO reference")).toHaveValue("F-1234");

  await expect
    .poll(() => stack.logLines("store-web").find((line) => line.correlationId === reference && line.level === "error")?.msg)
    .toBe("checkout failed: warehouse rejected the order");
  expect(stack.logLines("warehouse-api")).toContainEqual(expect.objectContaining({ correlationId: reference, level: "warn", msg: "order rejected" }));
});

test("invalid input shows field errors and keeps what was typed", async ({ page }) => {
  await fillCheckout(page, { ...ada, email: "ada-at-example", city: "" }, {});
  await placeOrder(page);

  await expect(page.getByRole("alert").filter({ hasText: "Please correct the highlighted fields" })).toBeVisible();
  await expect(page.getByText("Enter an email address like name@example.com.")).toBeVisible();
  await expect(page.getByText("Enter a town or city.")).toBeVisible();
  await expect(page.getByText("Choose at least one item.")).toBeVisible();
  const email = page.getByLabel("Email");
  await expect(email).toHaveValue("ada-at-example");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Full name")).toHaveValue("Ada Lovelace");
});

test("with the warehouse down the customer gets a clear message with a reference and the store keeps serving", async ({ page, stack }) => {
  await stack.stopWarehouse();
  await fillCheckout(page, ada);
  await placeOrder(page);

  const alert = page.getByRole("alert").filter({ hasText: "We couldn’t reach the warehouse" });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("try again");
  await expect(alert.getByTestId("reference")).toHaveText(/^[0-9a-f-]{36}$/);
  await expect(page.getByLabel("Full name")).toHaveValue("Ada Lovelace");

  await page.reload();
  await expect(page.getByRole("heading", { name: "Checkout" })).toBeVisible();
  await expect(page.getByText("Warehouse offline")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the checkout still places an order", async ({ page }) => {
    await fillCheckout(page, { ...ada, reference: "PO-NOJS" });
    await placeOrder(page);

    await expect(page.getByRole("heading", { name: "Order placed" })).toBeVisible();
    await expect(page.getByTestId("reference")).toHaveText(/^[0-9a-f-]{36}$/);
  });
});
