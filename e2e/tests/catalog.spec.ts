import { expect, test } from "../fixtures/stack";

test("each product has its own page with its picture, and goes in the cart from there", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Canvas tote" }).click();

  await expect(page).toHaveURL(/\/products\/BAG-TOTE$/);
  await expect(page.getByRole("heading", { level: 1, name: "Canvas tote" })).toBeVisible();
  const picture = page.getByRole("img", { name: "Canvas tote" });
  await expect(picture).toBeVisible();
  // Drawn and served by the store itself: it loads.
  expect(await picture.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);

  await page.getByLabel("Quantity of Canvas tote").fill("2");
  await page.getByRole("button", { name: "Add Canvas tote to cart" }).click();
  await expect(page.getByText("Added to your cart: Canvas tote (2 in cart).")).toBeVisible();
});

test("a product that does not exist is a 404 that leads back to the catalog", async ({ page }) => {
  const response = await page.goto("/products/NO-SUCH-THING");
  expect(response?.status()).toBe(404);
  await page.getByRole("link", { name: "Browse the products" }).click();
  await expect(page.getByRole("heading", { name: "Small goods, traced all the way" })).toBeVisible();
});

test("the store has an icon of its own", async ({ page }) => {
  await page.goto("/");
  const icon = await page.locator('link[rel="icon"]').getAttribute("href");
  expect(icon).toMatch(/^\/icon\.svg/);
  const served = await page.request.get(icon ?? "");
  expect(served.ok()).toBe(true);
  expect(served.headers()["content-type"]).toContain("image/svg+xml");
});
