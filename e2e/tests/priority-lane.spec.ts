import type { BrowserContext, Page } from "@playwright/test";

import { ada, checkOut } from "../fixtures/checkout";
import { detailPanel, signIn, test } from "../fixtures/dashboard";
import { expect, type Stack } from "../fixtures/stack";

// Two customers on either side of the priority lane's split: the store's edge decides by the customer
// cookie alone (store-web/src/flags/flags.test.ts pins these two ids' buckets).
const PRIORITY_CUSTOMER = "11111111-1111-4111-8111-111111111111";
const PLAIN_CUSTOMER = "00000000-0000-4000-8000-000000000000";

async function asCustomer(context: BrowserContext, stack: Stack, customerId: string) {
  await context.addCookies([{ name: "fishtag_customer", value: customerId, url: stack.storeUrl }]);
}

test("a priority customer's order is promised and shown as priority in the store, sorted first and badged on the dashboard, and its status event brings the flag back", async ({
  page,
  browser,
  dashboard,
  stack,
}) => {
  await asCustomer(page.context(), stack, PRIORITY_CUSTOMER);
  const priority = await checkOut(page, stack, { ...ada, reference: "PO-LANE-FAST" });
  await expect(page.getByText("Priority lane: packed first")).toBeVisible();

  // Placed after it, by a customer outside the lane: newer, so it would come first in plain newest-first order.
  const otherContext = await browser.newContext({ baseURL: stack.storeUrl });
  await asCustomer(otherContext, stack, PLAIN_CUSTOMER);
  const other: Page = await otherContext.newPage();
  const plain = await checkOut(other, stack, { ...ada, reference: "PO-LANE-PLAIN" });
  await expect(other.getByText("Priority lane: packed first")).toHaveCount(0);
  await otherContext.close();

  await signIn(dashboard);
  await dashboard.getByRole("button", { name: /^Received/ }).click();
  const rows = dashboard.getByRole("row");
  const fast = rows.filter({ hasText: "PO-LANE-FAST" });
  const slow = rows.filter({ hasText: "PO-LANE-PLAIN" });
  await expect(fast).toContainText("Priority");
  await expect(slow).toBeVisible();
  await expect(slow).not.toContainText("Priority");
  const order = await rows.allInnerTexts();
  expect(order.findIndex((text) => text.includes("PO-LANE-FAST"))).toBeLessThan(order.findIndex((text) => text.includes("PO-LANE-PLAIN")));

  await fast.getByRole("button", { name: /Open order/ }).click();
  const detail = detailPanel(dashboard);
  await expect(detail).toContainText(priority.warehouseOrderId);
  await expect(detail.getByText("Priority", { exact: true })).toBeVisible();
  await detail.getByRole("button", { name: "Move to picking" }).click();
  await expect(dashboard.getByText(`Order ${priority.orderNumber} is now picking.`)).toBeAttached();

  // The flag on both services' lines: the order's creation in the warehouse, and the status event the store took.
  await expect
    .poll(() =>
      stack.logLines("store-web").filter((line) => line.msg === "status event applied" && line.orderNumber === priority.orderNumber),
    )
    .toEqual([expect.objectContaining({ flags: "priority-lane", status: "picking" })]);
  expect(stack.logLines("warehouse-api")).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ msg: "order received", storeOrderNumber: priority.orderNumber, flags: "priority-lane", priority: true }),
      expect.objectContaining({ msg: "order received", storeOrderNumber: plain.orderNumber, priority: false }),
    ]),
  );
  // And the customer's page follows the move, still in the priority lane.
  await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("Being picked");
  await expect(page.getByText("Priority lane: packed first")).toBeVisible();
});
