import { ada, checkOut } from "../fixtures/checkout";
import { atEachSize, detailPanel, recordMoveIds, signIn, test } from "../fixtures/dashboard";
import { expect } from "../fixtures/stack";

// One search box, the keys staff are handed: the number a customer reads out, the PO number from an
// email, the reference ID from an error or a colleague's message.
atEachSize(({ width, phone }) => {
  test("staff find an order by its number or PO number in any case, and by the reference ID of a staff member's move", async ({
    page,
    dashboard,
    stack,
  }) => {
    const reference = `PO-Search-${width}`;
    const placed = await checkOut(page, stack, { ...ada, reference });
    // Another order, so that a search that finds everything would show.
    await checkOut(page, stack, { ...ada, reference: `PO-Other-${width}` });
    await signIn(dashboard);
    const search = dashboard.getByLabel("Search orders");
    const rows = dashboard.getByRole("button", { name: /^Open order / });
    const found = async (q: string) => {
      await search.fill(q);
      await expect(rows).toHaveText([new RegExp(`${placed.orderNumber}$`)]);
    };

    await found(placed.orderNumber.toLowerCase());
    await found(reference.toUpperCase());
    await found(reference.toLowerCase());

    // A colleague's move: its reference ID is the one the trail shows, and the one its request carried.
    const moveIds = recordMoveIds(dashboard);
    await rows.first().click();
    const detail = detailPanel(dashboard);
    await detail.getByRole("button", { name: "Move to picking" }).click();
    await expect(dashboard.getByText(`Order ${placed.orderNumber} is now picking.`)).toBeAttached();
    const trail = detail.getByRole("list", { name: "Event trail" });
    await expect(trail.locator("code")).toHaveText([placed.reference, moveIds[0] ?? "no move was sent"]);
    await detail.getByRole("button", { name: phone ? "All orders" : "Close order details" }).click();

    await found(moveIds[0] ?? "");
    await search.fill((moveIds[0] ?? "").slice(0, 12));
    await expect(dashboard.getByText("No orders match")).toBeVisible();
  });
});
