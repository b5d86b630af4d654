import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMetrics, type Metrics } from "@fishtag/tracing/metrics";

import { orderInput, orderRequest } from "./test/fixtures.js";
import { createTestWarehouse, type TestWarehouse } from "./testing.js";

let served: Metrics;
let warehouse: TestWarehouse;
beforeAll(async () => {
  // As index.ts does it: metrics first, then the app, whose HTTP instrumentation takes the provider.
  served = await startMetrics({ serviceName: "warehouse-api", port: 0, host: "127.0.0.1" });
  warehouse = await createTestWarehouse();
});
afterAll(async () => {
  await warehouse.close();
  await served.shutdown();
});

const scrape = async () => (await fetch(served.url ?? "")).text();
/** One sample's value: the line for `name` whose labels include each of `labels`. */
function sample(text: string, name: string, labels: string[] = []): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name}{`) && labels.every((label) => candidate.includes(label)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("warehouse metrics", () => {
  it("count orders by status, replays and refused tokens, and time each route by status", async () => {
    const input = orderInput();
    const request = await orderRequest(input, { "idempotency-key": input.storeOrderId });
    expect((await warehouse.app.request("/api/orders", request)).status).toBe(201);
    const replay = await orderRequest(input, { "idempotency-key": input.storeOrderId });
    expect((await warehouse.app.request("/api/orders", replay)).status).toBe(201);
    expect((await warehouse.app.request("/api/orders", await orderRequest(orderInput({ reference: "F-1" })))).status).toBe(422);
    await warehouse.app.request("/api/orders", { method: "POST", headers: { authorization: "Bearer nope" } });

    const text = await scrape();
    expect(sample(text, "warehouse_orders_created_total", ['status="received"'])).toBe(1);
    expect(sample(text, "warehouse_orders_created_total", ['status="rejected"'])).toBe(1);
    expect(sample(text, "warehouse_idempotent_replays_total")).toBe(1);
    expect(sample(text, "service_tokens_refused_total", ['reason="malformed"'])).toBe(1);
    expect(sample(text, "http_server_request_duration_count", ['http_route="/api/orders"', 'http_response_status_code="201"'])).toBe(2);
  });
});
