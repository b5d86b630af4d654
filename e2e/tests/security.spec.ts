import { expect, test } from "../fixtures/stack";

test("both services' pages refuse to be framed and are not sniffed", async ({ page, stack }) => {
  for (const url of ["/", "/cart", stack.dashboardUrl]) {
    const response = await page.goto(url);
    const headers = response?.headers() ?? {};
    expect(headers["content-security-policy"], url).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"], url).toBe("nosniff");
  }
});
