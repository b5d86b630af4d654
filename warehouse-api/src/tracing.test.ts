import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startTracing } from "@fishtag/tracing/otel";

import { newTraceparent } from "../dashboard/src/traceparent.js";
import { jsonRequest, orderInput, orderRequest } from "./test/fixtures.js";
import { createTestWarehouse, type TestWarehouse } from "./testing.js";

const exporter = new InMemorySpanExporter();
let warehouse: TestWarehouse;
beforeAll(async () => {
  startTracing({ serviceName: "warehouse-api", exporter });
  warehouse = await createTestWarehouse();
});
afterAll(async () => {
  await warehouse.close();
});
beforeEach(() => {
  exporter.reset();
});

const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

const named = (name: string) => exporter.getFinishedSpans().find((span) => span.name === name);
const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;

describe("traces", () => {
  it("continue the caller's trace through the route and the order's transaction, each span stamped with the correlation ID; a token that passes makes no span", async () => {
    const res = await warehouse.app.request(
      "/api/orders",
      await orderRequest(orderInput(), { "x-correlation-id": "checkout-7", traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` }),
    );
    expect(res.status).toBe(201);

    const route = named("POST /api/orders");
    const insert = named("INSERT orders");
    expect(named("verify service token")).toBeUndefined();
    expect(route?.kind).toBe(SpanKind.SERVER);
    expect(route?.spanContext().traceId).toBe(CALLER_TRACE);
    expect(parentOf(route)).toBe(CALLER_SPAN);
    expect(route?.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/api/orders",
      "http.response.status_code": 201,
    });
    expect(parentOf(insert)).toBe(route?.spanContext().spanId);
    expect(insert?.attributes).toMatchObject({
      "db.system.name": "sqlite",
      "db.operation.name": "INSERT",
      "db.collection.name": "orders",
      "db.transaction.batch_size": 1,
    });
    for (const span of [route, insert]) expect(span?.spanContext().traceId).toBe(CALLER_TRACE);
    for (const span of [route, insert]) expect(span?.attributes["fishtag.correlation_id"]).toBe("checkout-7");
  });

  it("show a refused token as a failed check under the route, with its reason and its duration", async () => {
    const res = await warehouse.app.request("/api/orders", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer not-a-token", "idempotency-key": "k-1" },
      body: JSON.stringify(orderInput()),
    });
    expect(res.status).toBe(401);

    const token = named("verify service token");
    expect(parentOf(token)).toBe(named("POST /api/orders")?.spanContext().spanId);
    expect(token?.attributes["fishtag.correlation_id"]).toBeDefined();
    expect(token?.status).toEqual({ code: SpanStatusCode.ERROR, message: "malformed" });
    expect(token?.events[0]?.attributes).toEqual({ reason: "malformed" });
    expect(named("INSERT orders")).toBeUndefined();
  });

  it("continue a staff action's trace begun in the dashboard: the transition's span is a child of the click", async () => {
    const created = await warehouse.app.request("/api/orders", await orderRequest(orderInput()));
    const { id } = (await created.json()) as { id: string };
    const traceparent = newTraceparent();
    const [, traceId, clickId] = traceparent.split("-");

    const moved = await warehouse.app.request(
      `/api/orders/${id}/transitions`,
      jsonRequest({ to: "picking" }, { ...(await warehouse.staffHeaders()), "x-correlation-id": "click-1", traceparent }),
    );
    expect(moved.status).toBe(200);

    const route = named("POST /api/orders/:id/transitions");
    expect(route?.spanContext().traceId).toBe(traceId);
    expect(parentOf(route)).toBe(clickId);
    expect(route?.attributes["fishtag.correlation_id"]).toBe("click-1");
  });
});
