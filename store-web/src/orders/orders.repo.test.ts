import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { ada, newCustomer, testStore, type TestStore } from "../test/store-db";
import { formatOrderNumber, parseOrderNumber } from "./order-number";
import type { NewOrder } from "./orders.repo";

let store: TestStore;
beforeEach(async () => {
  store = await testStore();
});
afterEach(async () => {
  await store.close();
});

const order = (customerId: string, overrides: Partial<NewOrder> = {}): NewOrder => ({
  customerId,
  correlationId: `checkout-${crypto.randomUUID()}`,
  ...ada,
  lines: [
    { sku: "MUG-TEAL", name: "Enamel mug", quantity: 2, unitPriceCents: 1450 },
    { sku: "STK-PACK", name: "Sticker pack", quantity: 1, unitPriceCents: 500 },
  ],
  ...overrides,
});

describe("order numbers", () => {
  it("are formatted ST- and six digits, growing past a million", () => {
    expect(formatOrderNumber(123)).toBe("ST-000123");
    expect(formatOrderNumber(1_234_567)).toBe("ST-1234567");
  });

  it("parse back only when written exactly as formatted", () => {
    expect(parseOrderNumber("ST-000123")).toBe(123);
    expect(parseOrderNumber("ST-1234567")).toBe(1_234_567);
    for (const text of ["ST-123", "st-000123", "ST-0000123", "ST-000000", "000123", "ST-000123 ", "ST-00012a"]) {
      expect(parseOrderNumber(text)).toBeUndefined();
    }
  });

  it("follow one sequence across customers, in the order orders are placed", async () => {
    const numbers: string[] = [];
    for (const customer of [newCustomer(), newCustomer(), newCustomer()]) numbers.push((await store.orders.create(order(customer))).number);

    expect(numbers).toEqual(["ST-000001", "ST-000002", "ST-000003"]);
  });
});

describe("orders", () => {
  it("are recorded pending, with the lines as charged, the charges on them and a first history row", async () => {
    const customer = newCustomer();
    const placed = await store.orders.create(order(customer, { correlationId: "ref-1" }));

    // £34.00 of goods, £4.95 shipping under £50, VAT a sixth of the £38.95 total.
    expect(placed).toMatchObject({ number: "ST-000001", totalCents: 3895 });
    expect(await store.orders.findById(placed.id)).toMatchObject({
      subtotalCents: 3400,
      shippingCents: 495,
      vatCents: 649,
      totalCents: 3895,
    });
    expect(placed.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await store.orders.findForCustomer(customer, 1)).toMatchObject({
      id: placed.id,
      status: "pending",
      totalCents: 3895,
      correlationId: "ref-1",
      warehouseOrderId: null,
      reference: "PO-1001",
      customer: ada.customer,
      shippingAddress: { ...ada.shippingAddress, line2: null },
      lines: [
        { sku: "MUG-TEAL", name: "Enamel mug", quantity: 2, unitPriceCents: 1450 },
        { sku: "STK-PACK", name: "Sticker pack", quantity: 1, unitPriceCents: 500 },
      ],
      history: [{ status: "pending", source: "checkout", correlationId: "ref-1", at: expect.any(String), reason: null }],
    });
  });

  it("take the warehouse's answer: its order id and the status, with a history row", async () => {
    const customer = newCustomer();
    const placed = await store.orders.create(order(customer, { correlationId: "ref-2" }));
    await store.orders.recordCheckoutOutcome(placed.id, { status: "received", warehouseOrderId: "wh-1" }, "ref-2");

    const stored = await store.orders.findForCustomer(customer, 1);
    expect(stored).toMatchObject({ status: "received", warehouseOrderId: "wh-1" });
    expect(stored?.history.map((change) => change.status)).toEqual(["pending", "received"]);
  });

  it("are listed per customer, newest first, and another customer's order is not found", async () => {
    const [ada1, bob] = [newCustomer(), newCustomer()];
    await store.orders.create(order(ada1, { reference: "PO-A1" }));
    await store.orders.create(order(bob, { reference: "PO-B1" }));
    await store.orders.create(order(ada1, { reference: "PO-A2" }));

    expect((await store.orders.listForCustomer(ada1)).map(({ number, reference, itemCount }) => [number, reference, itemCount])).toEqual([
      ["ST-000003", "PO-A2", 3],
      ["ST-000001", "PO-A1", 3],
    ]);
    expect((await store.orders.findForCustomer(bob, 2))?.reference).toBe("PO-B1");
    expect(await store.orders.findForCustomer(bob, 1)).toBeUndefined();
    expect(await store.orders.findForCustomer(ada1, 2)).toBeUndefined();
  });
});
