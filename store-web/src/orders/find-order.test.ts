import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createLogger, runWithCorrelationId } from "@fishtag/tracing/logger";

import { createLimiter, type Limiter } from "../lib/rate-limits.server";
import { ada, newCustomer, testStore, type TestStore } from "../test/store-db";
import { findOrder, type FindOrderDeps } from "./find-order";

let store: TestStore;
let placedBy: string;
beforeEach(async () => {
  store = await testStore();
  placedBy = newCustomer();
  // ST-000001, placed by ada@example.com from another browser.
  await store.orders.create({
    customerId: placedBy,
    correlationId: "checkout-1",
    ...ada,
    lines: [{ sku: "MUG-TEAL", name: "Enamel mug", quantity: 1, unitPriceCents: 1450 }],
  });
});
afterEach(async () => {
  await store.close();
});

const logger = createLogger({ service: "store-web", level: "silent" });
const plenty = (): Limiter => createLimiter(1000, 900);

function lookUp(fields: Record<string, string>, overrides: Partial<FindOrderDeps> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const deps: FindOrderDeps = {
    customerId: newCustomer(),
    orders: store.orders,
    logger,
    client: "198.51.100.7",
    limiters: { perClient: plenty(), perOrder: plenty() },
    ...overrides,
  };
  return runWithCorrelationId("lookup-1", () => findOrder(form, deps));
}

describe("guest order lookup", () => {
  it("finds an order by its email and number as people type them, and lets this browser see it from then on", async () => {
    const browser = newCustomer();
    expect(await store.orders.findForCustomer(browser, 1)).toBeUndefined();

    for (const orderNumber of ["ST-000001", "st-000001", "ST000001", "1", " ST-000 001 "]) {
      expect(await lookUp({ email: " ADA@Example.com ", orderNumber }, { customerId: browser })).toEqual({
        status: "found",
        orderNumber: "ST-000001",
      });
    }
    expect(await store.orders.findForCustomer(browser, 1)).toMatchObject({ number: "ST-000001", reference: "PO-1001" });
    expect((await store.orders.listForCustomer(browser)).map(({ number }) => number)).toEqual(["ST-000001"]);
    // The browser that placed it keeps it; a third browser still cannot see it.
    expect(await store.orders.findForCustomer(placedBy, 1)).toBeDefined();
    expect(await store.orders.findForCustomer(newCustomer(), 1)).toBeUndefined();
  });

  it("answers a wrong email and a wrong number alike, with a reference, and grants nothing", async () => {
    const browser = newCustomer();
    const wrongEmail = { email: "bob@example.com", orderNumber: "ST-000001" };
    const wrongNumber = { email: "ada@example.com", orderNumber: "ST-000002" };

    expect(await lookUp(wrongEmail, { customerId: browser })).toEqual({ status: "not_found", reference: "lookup-1", values: wrongEmail });
    expect(await lookUp(wrongNumber, { customerId: browser })).toEqual({ status: "not_found", reference: "lookup-1", values: wrongNumber });
    expect(await store.orders.listForCustomer(browser)).toEqual([]);
  });

  it("explains malformed input field by field and keeps what was typed", async () => {
    expect(await lookUp({ email: "ada", orderNumber: "PO-1001" })).toEqual({
      status: "invalid",
      fieldErrors: {
        email: "Enter the email address you ordered with, like name@example.com.",
        orderNumber: "Enter the order number, like ST-000123.",
      },
      values: { email: "ada", orderNumber: "PO-1001" },
    });
    expect(await lookUp({})).toMatchObject({ status: "invalid", values: { email: "", orderNumber: "" } });
  });

  it("refuses a client past its budget, even with the right details", async () => {
    const perClient = createLimiter(2, 900);
    const limiters = { perClient, perOrder: plenty() };
    await lookUp({ email: "eve@example.com", orderNumber: "ST-000001" }, { limiters });
    await lookUp({ email: "eve@example.org", orderNumber: "ST-000001" }, { limiters });

    expect(await lookUp({ email: "ada@example.com", orderNumber: "ST-000001" }, { limiters })).toMatchObject({
      status: "rate_limited",
      reference: "lookup-1",
      retryAfterSeconds: expect.any(Number) as number,
    });
    // Another client is not held back by it.
    expect(await lookUp({ email: "ada@example.com", orderNumber: "ST-000001" }, { limiters, client: "203.0.113.9" })).toMatchObject({
      status: "found",
    });
  });

  it("refuses guesses at one order number from many clients, whether or not the order exists", async () => {
    const perOrder = createLimiter(2, 900);
    for (const [index, orderNumber] of ["ST-000001", "st-1", "ST-000099", "99"].entries()) {
      await lookUp(
        { email: `guess${String(index)}@example.com`, orderNumber },
        { client: `198.51.100.${String(index)}`, limiters: { perClient: plenty(), perOrder } },
      );
    }
    for (const orderNumber of ["ST-000001", "ST-000099"]) {
      expect(
        await lookUp({ email: "ada@example.com", orderNumber }, { client: "203.0.113.9", limiters: { perClient: plenty(), perOrder } }),
      ).toMatchObject({
        status: "rate_limited",
      });
    }
  });

  it("does not count a malformed form against the budget", async () => {
    const perClient = createLimiter(1, 900);
    await lookUp({ email: "ada", orderNumber: "" }, { limiters: { perClient, perOrder: plenty() } });
    expect(
      await lookUp({ email: "ada@example.com", orderNumber: "ST-000001" }, { limiters: { perClient, perOrder: plenty() } }),
    ).toMatchObject({
      status: "found",
    });
  });
});
