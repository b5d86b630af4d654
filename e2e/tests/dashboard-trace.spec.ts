import { ada, checkOut } from "../fixtures/checkout";
import { detailPanel, signIn, test } from "../fixtures/dashboard";
import { expect } from "../fixtures/stack";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

test("a staff move starts its trace in the browser, and the dashboard draws it: the warehouse's transition, the relay and the store applying it", async ({
  page,
  dashboard,
  stack,
}) => {
  const placed = await checkOut(page, stack, { ...ada, reference: "PO-WATERFALL" });
  await signIn(dashboard);
  const moves: { correlationId: string; traceparent: string }[] = [];
  dashboard.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/transitions")) {
      const headers = request.headers();
      moves.push({ correlationId: headers["x-correlation-id"] ?? "", traceparent: headers.traceparent ?? "" });
    }
  });

  // By its number: the suite's other orders share the worker's warehouse, and the list may not be
  // filtered by the search yet.
  await dashboard.getByLabel("Search orders").fill(placed.warehouseOrderId);
  await dashboard.getByRole("button", { name: `Open order ${placed.orderNumber}`, exact: true }).click();
  const detail = detailPanel(dashboard);
  await detail.getByRole("button", { name: "Move to picking" }).click();
  await expect(dashboard.getByText(`Order ${placed.orderNumber} is now picking.`)).toBeAttached();

  // The click sent a fresh traceparent beside its correlation ID, and the warehouse continued it.
  expect(moves).toHaveLength(1);
  const [move] = moves;
  const [, traceId = "", clickSpanId] = TRACEPARENT.exec(move?.traceparent ?? "") ?? [];
  expect(traceId, "the move's traceparent").not.toBe("");
  const spansOfTheMove = () => stack.traces.traces(stack.traces.traceIdsOf([move?.correlationId ?? ""]));
  await expect
    .poll(() => spansOfTheMove().map(({ traceId: id, service, name }) => ({ traceId: id, service, name })))
    .toEqual(
      expect.arrayContaining([
        { traceId, service: "warehouse-api", name: "POST /api/orders/:id/transitions" },
        // The status event the move queued: delivered by the relay in the move's trace, applied by the store.
        { traceId, service: "warehouse-api", name: "status outbox delivery" },
        { traceId, service: "store-web", name: "receive status event" },
      ]),
    );
  const route = spansOfTheMove().find((span) => span.name === "POST /api/orders/:id/transitions");
  expect(route?.parentSpanId).toBe(clickSpanId);

  // The move's step in the history opens its waterfall: one row per span, named by service, timed.
  const step = detail
    .getByRole("list", { name: "Event trail" })
    .getByRole("listitem")
    .filter({ hasText: move?.correlationId ?? "" });
  await step.getByRole("button", { name: /Trace/ }).click();
  await expect(step.getByRole("button", { name: /Trace/ })).toHaveAttribute("aria-expanded", "true");
  const waterfall = step.getByRole("region", { name: `Trace ${traceId}` });
  const transition = waterfall.getByRole("listitem").filter({ hasText: "POST /api/orders/:id/transitions" });
  await expect(transition).toContainText("warehouse-api");
  await expect(transition).toContainText(/\d+(\.\d)? ms/);
  // The store applying the event comes a moment after the move: the open view asks again by itself.
  await expect(waterfall.getByRole("listitem").filter({ hasText: "receive status event" })).toContainText("store-web");
  // Next's own spans are left out, as npm run trace leaves them.
  await expect(waterfall.getByRole("listitem").filter({ hasText: "resolve page components" })).toHaveCount(0);
});
