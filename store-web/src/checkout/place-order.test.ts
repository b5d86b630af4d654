import { createLogger } from "@fishtag/tracing/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWarehouse } from "../test/warehouse-server";
import { quantityFieldName } from "./checkout.schema";
import { placeOrder } from "./place-order";
import { createWarehouseClient } from "./warehouse-client.server";

const logger = createLogger({ service: "store-web", level: "silent" });

function checkoutForm(fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  const values: Record<string, string> = {
    name: "Ada Lovelace",
    email: "ada@example.com",
    reference: "PO-1001",
    line1: "12 Analytical Row",
    line2: "",
    city: "London",
    postalCode: "N1 9GU",
    country: "GB",
    [quantityFieldName("MUG-TEAL")]: "2",
    [quantityFieldName("STK-PACK")]: "1",
    ...fields,
  };
  for (const [key, value] of Object.entries(values)) form.set(key, value);
  return form;
}

describe("placeOrder against the real warehouse", () => {
  let real: Awaited<ReturnType<typeof startWarehouse>>;
  beforeAll(async () => {
    real = await startWarehouse();
  });
  afterAll(() => real.close());

  const deps = (correlationId: string) => ({
    correlationId,
    logger,
    warehouse: createWarehouseClient({ baseUrl: real.url, timeoutMs: 5000, logger }),
  });

  it("prices the order from the catalog and returns the warehouse's order id with the reference", async () => {
    // A forged price field is ignored: the browser only sends quantities.
    const state = await placeOrder(checkoutForm({ "price.MUG-TEAL": "1" }), deps("ref-placed"));

    expect(state).toMatchObject({ status: "placed", reference: "ref-placed", totalCents: 2 * 1450 + 500 });
    const orderId = state.status === "placed" ? state.orderId : "";
    const stored = (await (await fetch(`${real.url}/api/orders/${orderId}`, { headers: await real.staffHeaders() })).json()) as { lines: unknown[]; correlationId: string };
    expect(stored.correlationId).toBe("ref-placed");
    expect(stored.lines).toEqual([
      { sku: "MUG-TEAL", name: "Enamel mug", quantity: 2, unitPriceCents: 1450 },
      { sku: "STK-PACK", name: "Sticker pack", quantity: 1, unitPriceCents: 500 },
    ]);
  });

  it("shows a rejection and keeps what was typed", async () => {
    const state = await placeOrder(checkoutForm({ reference: "F-42" }), deps("ref-rejected"));

    expect(state).toMatchObject({ status: "rejected", reference: "ref-rejected", values: { reference: "F-42", name: "Ada Lovelace" } });
  });

  it("returns field errors without calling the warehouse, keeping every value", async () => {
    const before = (await (await fetch(`${real.url}/api/orders?limit=100`, { headers: await real.staffHeaders() })).json()) as { items: unknown[] };
    const state = await placeOrder(
      checkoutForm({ email: "nope", city: " ", [quantityFieldName("MUG-TEAL")]: "0", [quantityFieldName("STK-PACK")]: "" }),
      deps("ref-invalid"),
    );

    expect(state).toMatchObject({
      status: "invalid",
      reference: "ref-invalid",
      fieldErrors: { email: expect.any(String), city: expect.any(String), items: "Choose at least one item." },
      values: { email: "nope", name: "Ada Lovelace", quantities: { "MUG-TEAL": "0" } },
    });
    const after = (await (await fetch(`${real.url}/api/orders?limit=100`, { headers: await real.staffHeaders() })).json()) as { items: unknown[] };
    expect(after.items).toHaveLength(before.items.length);
  });
});
