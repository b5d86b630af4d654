import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { ada, checkOut, historyIdsOf } from "../fixtures/checkout";
import { detailPanel, recordMoveIds, signIn, test } from "../fixtures/dashboard";
import { expect, REPO_ROOT } from "../fixtures/stack";

test("staff ship an order and the customer watching it sees 'Shipped' without a reload; trace follows the staff action into the Store", async ({
  page,
  dashboard,
  stack,
}) => {
  const placed = await checkOut(page, stack, { ...ada, reference: "PO-LIVE" }, { "Enamel mug": "1", "Sticker pack": "2" });
  // checkOut leaves the customer on the order's page, which they keep open from here on.
  const status = page.getByRole("status").filter({ hasText: "Status:" });
  await expect(status).toContainText("Received");

  await signIn(dashboard);
  const moveIds = recordMoveIds(dashboard);
  await dashboard.getByLabel("Search orders").fill(placed.warehouseOrderId);
  await dashboard
    .getByRole("row")
    .filter({ hasText: "PO-LIVE" })
    .getByRole("button", { name: /Open order/ })
    .click();
  const detail = detailPanel(dashboard);
  for (const to of ["picking", "packed", "shipped"]) {
    await detail.getByRole("button", { name: `Move to ${to}` }).click();
    await expect(dashboard.getByText(`Order ${placed.orderNumber} is now ${to}.`)).toBeAttached();
  }

  // The warehouse's relay tells the store; the customer's page polls the store.
  await expect(status).toContainText("Shipped");
  // Its history: placed and received at checkout, then one step per staff click, in words for the
  // customer; the store keeps each step's request: the checkout's, then each click's.
  const steps = page.getByRole("list", { name: "What has happened" }).getByRole("listitem");
  await expect(steps).toHaveCount(5);
  expect(moveIds).toHaveLength(3);
  for (const [index, label] of ["Being picked", "Packed", "Shipped"].entries()) await expect(steps.nth(2 + index)).toContainText(label);
  expect(await historyIdsOf(stack, placed.orderNumber)).toEqual([placed.reference, placed.reference, ...moveIds]);

  // The ID of the click that shipped it finds its lines in both services.
  const shippedBy = moveIds.at(-1) ?? "";
  await expect
    .poll(() =>
      stack
        .logLines("store-web")
        .filter((line) => line.correlationId === shippedBy)
        .map((line) => line.msg),
    )
    .toContain("status event applied");
  const { stdout } = await promisify(execFile)("npx", ["tsx", "tools/src/trace.ts", shippedBy, "--logs", stack.logDir], { cwd: REPO_ROOT });
  expect(stdout).toMatch(/warehouse-api\s+INFO\s+order status changed/);
  expect(stdout).toMatch(/warehouse-api\s+INFO\s+status event delivered/);
  expect(stdout).toMatch(/store-web\s+INFO\s+status event applied/);
});

test("moves made while the Store is down reach it once it is back: every one, once, in order", async ({ page, dashboard, stack }) => {
  const placed = await checkOut(page, stack, { ...ada, reference: "PO-OUTAGE" });
  await signIn(dashboard);
  const moveIds = recordMoveIds(dashboard);
  await dashboard.getByLabel("Search orders").fill(placed.warehouseOrderId);
  await dashboard
    .getByRole("row")
    .filter({ hasText: "PO-OUTAGE" })
    .getByRole("button", { name: /Open order/ })
    .click();
  const detail = detailPanel(dashboard);

  await stack.stopStore();
  for (const to of ["picking", "packed"]) {
    await detail.getByRole("button", { name: `Move to ${to}` }).click();
    await expect(dashboard.getByText(`Order ${placed.orderNumber} is now ${to}.`)).toBeAttached();
  }
  // The relay has tried and failed: the events wait in the outbox rather than being lost.
  await expect
    .poll(
      () =>
        stack
          .logLines("warehouse-api")
          .filter((line) => line.msg === "status event delivery failed, will retry" && line.correlationId === moveIds[0]).length,
    )
    .toBeGreaterThan(0);

  await stack.startStore();
  await page.goto(`/orders/${placed.orderNumber}`);
  const steps = page.getByRole("list", { name: "What has happened" }).getByRole("listitem");
  // The backoff after a few failures is seconds long: allow for it, but no more.
  await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("Packed", { timeout: 20_000 });
  await expect(steps).toHaveCount(4);
  expect(await historyIdsOf(stack, placed.orderNumber)).toEqual([placed.reference, placed.reference, ...moveIds]);
  const applied = stack
    .logLines("store-web")
    .filter((line) => line.msg === "status event applied" && moveIds.includes(line.correlationId ?? ""));
  expect(applied.map((line) => line.correlationId)).toEqual(moveIds);
});
