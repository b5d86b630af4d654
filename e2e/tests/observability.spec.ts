import { existsSync, renameSync } from "node:fs";

import { ada, checkOut } from "../fixtures/checkout";
import { detailPanel, signIn, test } from "../fixtures/dashboard";
import { expect } from "../fixtures/stack";

/** One sample of a Prometheus text page: the value of `name` with exactly these labels (0 when absent). */
async function sample(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(url)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const present = (match[2] ?? "").split(",").filter((label) => !label.startsWith("otel_scope_name="));
    if (present.length === wanted.length && wanted.every((label) => present.includes(label))) return Number(match[3]);
  }
  return 0;
}

test("both services answer their probes on their public ports, and serve metrics only on a port of their own", async ({ stack }) => {
  for (const base of [stack.storeUrl, stack.warehouseUrl]) {
    for (const probe of ["/livez", "/readyz"]) {
      const response = await fetch(`${base}${probe}`);
      expect(response.status, `${base}${probe}`).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
    }
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  }
  for (const url of [stack.storeMetricsUrl, stack.warehouseMetricsUrl]) {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("# TYPE http_server_request_duration histogram");
    expect(text).toContain("outbox_pending{");
    expect(text).toContain("nodejs_eventloop_delay_p99");
  }
});

/** Database files a test has moved away, put back after it whatever happened: later tests share the stack. */
const movedAway: string[] = [];
test.afterEach(() => {
  for (const path of movedAway.splice(0)) if (existsSync(`${path}.away`)) renameSync(`${path}.away`, path);
});

test("each service's /readyz answers 503 in the error shape while its database file is gone from its path, and 200 once it is back", async ({
  stack,
}) => {
  const probe = (url: string) => fetch(url, { signal: AbortSignal.timeout(5_000) });
  for (const [service, base] of [
    ["warehouse-api", stack.warehouseUrl],
    ["store-web", stack.storeUrl],
  ] as const) {
    const path = stack.dbPath(service);
    renameSync(path, `${path}.away`);
    movedAway.push(path);
    const response = await probe(`${base}/readyz`);
    expect(response.status, service).toBe(503);
    expect(await response.json()).toMatchObject({
      error: "unavailable",
      message: expect.stringContaining("removed or replaced"),
      correlationId: expect.any(String),
    });
    // The process still answers: an orchestrator stops sending it traffic rather than killing it.
    expect((await probe(`${base}/livez`)).status).toBe(200);

    renameSync(`${path}.away`, path);
    expect((await probe(`${base}/readyz`)).status, service).toBe(200);
  }
});

test("a checkout and a staff move show in both services' counters", async ({ page, dashboard, stack }) => {
  const placedBefore = await sample(stack.storeMetricsUrl, "store_checkouts_total", { outcome: "placed" });
  const receivedBefore = await sample(stack.warehouseMetricsUrl, "warehouse_orders_created_total", { status: "received" });
  const pickedBefore = await sample(stack.warehouseMetricsUrl, "warehouse_orders_transitions_total", { from: "received", to: "picking" });

  const placed = await checkOut(page, stack, { ...ada, reference: "PO-METRICS" });
  expect(await sample(stack.storeMetricsUrl, "store_checkouts_total", { outcome: "placed" })).toBe(placedBefore + 1);
  expect(await sample(stack.warehouseMetricsUrl, "warehouse_orders_created_total", { status: "received" })).toBe(receivedBefore + 1);

  await signIn(dashboard);
  await dashboard.getByLabel("Search orders").fill(placed.orderNumber);
  await dashboard
    .getByRole("row")
    .filter({ hasText: "PO-METRICS" })
    .getByRole("button", { name: /Open order/ })
    .click();
  await detailPanel(dashboard).getByRole("button", { name: "Move to picking" }).click();
  await expect(dashboard.getByText(`Order ${placed.orderNumber} is now picking.`)).toBeAttached();
  expect(await sample(stack.warehouseMetricsUrl, "warehouse_orders_transitions_total", { from: "received", to: "picking" })).toBe(
    pickedBefore + 1,
  );
  // The status event reaches the store through the outbox: its delivery is counted once it has gone.
  await expect
    .poll(() => sample(stack.warehouseMetricsUrl, "outbox_delivery_attempts_total", { outbox_name: "status outbox", result: "delivered" }))
    .toBeGreaterThan(0);
});

test("the store continues a caller's trace, and ignores a malformed traceparent", async ({ stack }) => {
  const traceId = crypto.randomUUID().replaceAll("-", "");
  const callerSpan = "00f067aa0ba902b7";
  const response = await fetch(`${stack.storeUrl}/products`, { headers: { traceparent: `00-${traceId}-${callerSpan}-01` } });
  expect(response.status).toBe(200);
  await expect
    .poll(() => stack.traces.traces([traceId]).map((span) => [span.name, span.parentSpanId]))
    .toContainEqual(["GET /products", callerSpan]);

  const malformed = await fetch(`${stack.storeUrl}/products`, {
    headers: { traceparent: `00-${"0".repeat(32)}-${callerSpan}-01`, baggage: "=;=,%%" },
  });
  expect(malformed.status).toBe(200);
});
