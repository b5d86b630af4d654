import { ada, checkOut, fillCheckout, placeOrder } from "../fixtures/checkout";
import { expect, Stack, test } from "../fixtures/stack";

test("both services' pages refuse to be framed and are not sniffed", async ({ page, stack }) => {
  for (const url of ["/", "/cart", stack.dashboardUrl]) {
    const response = await page.goto(url);
    const headers = response?.headers() ?? {};
    expect(headers["content-security-policy"], url).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"], url).toBe("nosniff");
  }
});

test("a client checking out too often is told to wait, with a reference, and nothing more is ordered", async ({ browser }) => {
  // A store of its own with a limit of two: the shared one allows the whole suite's checkouts.
  test.setTimeout(90_000);
  const limited = await Stack.start({ storeEnv: { STORE_CHECKOUT_LIMIT_PER_MINUTE: "2" } });
  const context = await browser.newContext({ baseURL: limited.storeUrl });
  try {
    const page = await context.newPage();
    for (const reference of ["PO-LIMIT-1", "PO-LIMIT-2"]) await checkOut(page, limited, { ...ada, reference });

    await fillCheckout(page, { ...ada, reference: "PO-LIMIT-3" });
    await placeOrder(page);
    const alert = page.getByRole("alert").filter({ hasText: "Too many checkouts from this connection" });
    await expect(alert).toContainText(/wait \d+ seconds? and try again/);
    await expect(alert.getByTestId("reference")).toHaveText(/^[0-9a-f-]{36}$/);
    await expect(page.getByLabel("PO number")).toHaveValue("PO-LIMIT-3");

    await page.goto("/orders");
    await expect(page.getByRole("row").filter({ hasText: "PO-LIMIT-2" })).toHaveCount(1);
    await expect(page.getByRole("row").filter({ hasText: "PO-LIMIT-3" })).toHaveCount(0);
  } finally {
    await context.close();
    await limited.close();
  }
});
