import { createLogger, runWithCorrelationId } from "@fishtag/tracing/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeWarehouse, startWarehouse, UNUSED_URL, type RunningServer } from "../test/warehouse-server";
import { createWarehouseClient, type WarehouseOrderRequest } from "./warehouse-client.server";

const logger = createLogger({ service: "store-web", level: "silent" });

const order = (reference = "PO-1"): WarehouseOrderRequest => ({
  storeOrderId: crypto.randomUUID(),
  reference,
  customer: { name: "Ada Lovelace", email: "ada@example.com" },
  shippingAddress: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
  lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 2, unitPriceCents: 1450 }],
});

describe("warehouse client against the real warehouse app", () => {
  let real: Awaited<ReturnType<typeof startWarehouse>>;
  beforeAll(async () => {
    real = await startWarehouse();
  });
  afterAll(() => real.close());

  const client = () => createWarehouseClient({ baseUrl: real.url, timeoutMs: 5000, logger });

  it("places an order and forwards the correlation ID in scope, which the warehouse stores", async () => {
    const result = await runWithCorrelationId("store-checkout-1", () => client().createOrder(order()));

    expect(result).toMatchObject({ kind: "placed", order: { status: "received", totalCents: 2900, correlationId: "store-checkout-1" } });
  });

  it("reports a rejection with the warehouse's message and the stored order", async () => {
    const result = await runWithCorrelationId("store-checkout-2", () => client().createOrder(order("F-77")));

    expect(result).toMatchObject({ kind: "rejected", order: { status: "rejected", correlationId: "store-checkout-2" } });
    expect(result.kind === "rejected" && result.message).toMatch(/does not accept/);
  });

  it("sees the warehouse healthy", async () => {
    expect(await client().isHealthy()).toBe(true);
  });
});

describe("warehouse client when the warehouse misbehaves", () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  async function fake(handler: Parameters<typeof startFakeWarehouse>[0]) {
    const server = await startFakeWarehouse(handler);
    servers.push(server);
    return server;
  }

  it("reports unreachable when nothing listens", async () => {
    const client = createWarehouseClient({ baseUrl: UNUSED_URL, timeoutMs: 2000, logger });

    expect(await client.createOrder(order())).toEqual({ kind: "unavailable", reason: "unreachable" });
    expect(await client.isHealthy()).toBe(false);
  });

  it("gives up after its timeout when the warehouse never answers", async () => {
    const silent = await fake(() => undefined);
    const client = createWarehouseClient({ baseUrl: silent.url, timeoutMs: 200, logger });

    expect(await client.createOrder(order())).toEqual({ kind: "unavailable", reason: "timeout" });
  });

  it("reports a server error as unavailable", async () => {
    const broken = await fake((_, res) => {
      res.writeHead(500, { "content-type": "application/json" }).end('{"error":"internal_error"}');
    });
    const client = createWarehouseClient({ baseUrl: broken.url, timeoutMs: 2000, logger });

    expect(await client.createOrder(order())).toEqual({ kind: "unavailable", reason: "server_error" });
  });

  it("reports an answer outside the contract as failed rather than guessing", async () => {
    const odd = await fake((_, res) => {
      res.writeHead(201, { "content-type": "application/json" }).end('{"ok":true}');
    });
    const client = createWarehouseClient({ baseUrl: odd.url, timeoutMs: 2000, logger });

    expect(await client.createOrder(order())).toMatchObject({ kind: "failed" });
  });

  it("keeps a base path in the warehouse URL", async () => {
    let path: string | undefined;
    const behindPrefix = await fake((req, res) => {
      path = req.url;
      res.writeHead(200).end("{}");
    });

    expect(await createWarehouseClient({ baseUrl: `${behindPrefix.url}/warehouse/`, timeoutMs: 2000, logger }).isHealthy()).toBe(true);
    expect(path).toBe("/warehouse/healthz");
  });

  it("sends a fresh valid correlation ID when none is in scope", async () => {
    let received: string | undefined;
    const echo = await fake((req, res) => {
      received = req.headers["x-correlation-id"] as string | undefined;
      res.writeHead(200).end("{}");
    });
    await createWarehouseClient({ baseUrl: echo.url, timeoutMs: 2000, logger }).isHealthy();

    expect(received).toMatch(/^[0-9a-f-]{36}$/);
  });
});
