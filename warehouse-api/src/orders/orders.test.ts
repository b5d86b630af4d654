import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";

import { orderInput, orderRequest } from "../test/fixtures.js";
import { createTestWarehouse, type TestWarehouse } from "../testing.js";
import type { Order } from "./orders.schemas.js";

let warehouse: TestWarehouse;
let staff: Record<string, string>;
beforeAll(async () => {
  warehouse = await createTestWarehouse();
  staff = await warehouse.staffHeaders();
});
afterAll(async () => {
  await warehouse.close();
});

const post = async (body: unknown, headers?: Record<string, string>) =>
  warehouse.app.request("/api/orders", await orderRequest(body, headers));
/** A staff API read, as the signed-in dashboard makes it. */
const get = (path: string, headers: Record<string, string> = {}) => warehouse.app.request(path, { headers: { ...staff, ...headers } });

type ErrorJson = { error: string; message: string; correlationId: string; issues?: { path: string; message: string }[] };

describe("POST /api/orders", () => {
  it("stores the order as received, with the store's number, its money as charged and the correlation ID of the request", async () => {
    const input = orderInput({ storeOrderNumber: "ST-000123" });
    const res = await post(input, { "x-correlation-id": "checkout-123" });

    expect(res.status).toBe(201);
    expect(res.headers.get("x-correlation-id")).toBe("checkout-123");
    const order = (await res.json()) as Order;
    expect(order).toMatchObject({
      storeOrderId: input.storeOrderId,
      storeOrderNumber: "ST-000123",
      reference: "PO-1001",
      status: "received",
      customer: input.customer,
      shippingAddress: input.shippingAddress,
      lines: input.lines,
      subtotalCents: 2 * 1250 + 2400,
      shippingCents: 495,
      vatCents: input.vatCents,
      totalCents: 2 * 1250 + 2400 + 495,
      correlationId: "checkout-123",
    });
    expect(Date.parse(order.createdAt)).not.toBeNaN();

    const stored = await get(`/api/orders/${order.id}`);
    expect(await stored.json()).toEqual(order);
  });

  it.each([
    ["a subtotal that is not the lines'", { subtotalCents: 1 }, "subtotalCents"],
    ["a total that is not subtotal + shipping", { totalCents: 1 }, "totalCents"],
    ["more VAT than the total", { vatCents: 1_000_000 }, "vatCents"],
  ])("refuses %s with 400, naming the field, and stores nothing", async (_what, wrong, field) => {
    const input = { ...orderInput(), ...wrong };
    const res = await post(input);

    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.issues?.map((issue) => issue.path)).toContain(field);
    expect(await (await get(`/api/orders?q=${input.storeOrderNumber}`)).json()).toMatchObject({ items: [] });
  });

  it.each(["F-100", "f-100", "Fast please"])("rejects reference %s with 422 and keeps the order as rejected", async (reference) => {
    const res = await post(orderInput({ reference }), { "x-correlation-id": "reject-me" });

    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorJson & { order: Order };
    expect(body).toMatchObject({ error: "order_rejected", correlationId: "reject-me", order: { reference, status: "rejected" } });
    expect(body.message).toMatch(/"F"/);

    const stored = await get(`/api/orders/${body.order.id}`);
    expect(await stored.json()).toMatchObject({ status: "rejected", correlationId: "reject-me" });
  });

  it.each<[string, unknown, string]>([
    ["an empty reference", orderInput({ reference: "" }), "reference"],
    ["a reference over 64 characters", orderInput({ reference: "P".repeat(65) }), "reference"],
    ["an invalid email", orderInput({ customer: { name: "Ada", email: "not-an-email" } }), "customer.email"],
    ["a made-up country", orderInput({ shippingAddress: { ...orderInput().shippingAddress, country: "UK" } }), "shippingAddress.country"],
    ["no lines", orderInput({ lines: [] }), "lines"],
    [
      "51 lines",
      orderInput({ lines: Array.from({ length: 51 }, () => ({ sku: "A", name: "A", quantity: 1, unitPriceCents: 1 })) }),
      "lines",
    ],
    ["a zero quantity", orderInput({ lines: [{ sku: "A", name: "A", quantity: 0, unitPriceCents: 1 }] }), "lines.0.quantity"],
    ["a quantity of 1000", orderInput({ lines: [{ sku: "A", name: "A", quantity: 1000, unitPriceCents: 1 }] }), "lines.0.quantity"],
    ["negative cents", orderInput({ lines: [{ sku: "A", name: "A", quantity: 1, unitPriceCents: -1 }] }), "lines.0.unitPriceCents"],
    ["fractional cents", orderInput({ lines: [{ sku: "A", name: "A", quantity: 1, unitPriceCents: 1.5 }] }), "lines.0.unitPriceCents"],
    ["a missing customer", { ...orderInput(), customer: undefined }, "customer"],
    ["an array body", [], ""],
  ])("answers 400 with the failing field for %s", async (_, body, path) => {
    const res = await post(body, { "x-correlation-id": "bad-input" });

    expect(res.status).toBe(400);
    const json = (await res.json()) as ErrorJson;
    expect(json).toMatchObject({ error: "validation_failed", correlationId: "bad-input" });
    expect(json.issues?.map((issue) => issue.path)).toContain(path);
  });

  it("answers 400 to malformed JSON", async () => {
    const res = await post('{"reference": ', { "x-correlation-id": "broken-json" });

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "bad_request", correlationId: "broken-json" });
  });

  it("answers 415 to a body that is not JSON", async () => {
    const res = await post("hello", { "content-type": "text/plain" });

    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: "unsupported_media_type", correlationId: expect.any(String) });
  });

  it.each([
    ["with a Content-Length", true],
    ["streamed without a Content-Length", false],
  ])("answers 413 to a body over 64 KB %s, storing nothing", async (_, withLength) => {
    const before = (await (await get("/api/orders?limit=100")).json()) as { items: Order[] };
    const body = JSON.stringify(orderInput({ customer: { name: "x".repeat(70_000), email: "a@b.co" } }));
    const res = await post(body, withLength ? { "content-length": String(Buffer.byteLength(body)) } : {});

    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload_too_large", correlationId: expect.any(String) });
    const after = (await (await get("/api/orders?limit=100")).json()) as { items: Order[] };
    expect(after.items).toHaveLength(before.items.length);
  });
});

describe("GET /api/orders/:id", () => {
  it("answers 404 for an unknown order", async () => {
    const res = await get(`/api/orders/${crypto.randomUUID()}`, { "x-correlation-id": "where-is-it" });

    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "not_found", correlationId: "where-is-it" });
  });

  it("answers 400 for an id that is not a UUID", async () => {
    const res = await get("/api/orders/not-an-id");

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "validation_failed" });
  });
});

describe("GET /api/orders", () => {
  it("pages through every order newest first, none skipped or repeated, even as new ones arrive", async () => {
    const list = await createTestWarehouse();
    const listStaff = await list.staffHeaders();
    try {
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await list.app.request("/api/orders", await orderRequest(orderInput({ reference: `PO-${i}` })));
        created.push(((await res.json()) as Order).id);
      }

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await list.app.request(`/api/orders?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { headers: listStaff });
        expect(res.status).toBe(200);
        const page = (await res.json()) as { items: Order[]; nextCursor: string | null };
        seen.push(...page.items.map((order) => order.id));
        cursor = page.nextCursor;
        // An order placed mid-way is newer than the cursor, so it belongs to a fresh first page, not this walk.
        if (seen.length === 3) await list.app.request("/api/orders", await orderRequest(orderInput()));
      } while (cursor);

      expect(seen).toEqual([...created].reverse());
    } finally {
      await list.close();
    }
  });

  it("filters by status", async () => {
    const list = await createTestWarehouse();
    const listStaff = await list.staffHeaders();
    try {
      await list.app.request("/api/orders", await orderRequest(orderInput({ reference: "PO-ok" })));
      await list.app.request("/api/orders", await orderRequest(orderInput({ reference: "F-no" })));

      const res = await list.app.request("/api/orders?status=rejected", { headers: listStaff });
      const page = (await res.json()) as { items: Order[]; nextCursor: string | null };
      expect(page.items.map((order) => order.reference)).toEqual(["F-no"]);
      expect(page.nextCursor).toBeNull();
    } finally {
      await list.close();
    }
  });

  /** A warehouse of its own for one search test (closed after it), so a search sees only the orders placed here. */
  async function searchWarehouse() {
    const list = await createTestWarehouse();
    onTestFinished(async () => {
      await list.close();
    });
    const headers = await list.staffHeaders();
    const search = async (q: string) => {
      const res = await list.app.request(`/api/orders?q=${encodeURIComponent(q)}`, { headers });
      return (await res.json()) as { items: Order[]; counts: Record<string, number> };
    };
    /** A staff move, under the correlation ID of the click that made it. */
    const move = async (id: string, body: { to: string; reason?: string }, correlationId: string) => {
      const res = await list.app.request(`/api/orders/${id}/transitions`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "x-correlation-id": correlationId },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    };
    return {
      move,
      place: async (reference: string, email: string, correlationId: string) => {
        const res = await list.app.request(
          "/api/orders",
          await orderRequest(orderInput({ reference, customer: { name: "A", email } }), { "x-correlation-id": correlationId }),
        );
        return (await res.json()) as Order;
      },
      search,
      /** The ids a search finds, in the order it lists them. */
      found: async (q: string) => (await search(q)).items.map((order) => order.id),
    };
  }

  it("finds orders by exact id, the checkout's correlation ID, or by PO number or email in any case, with counts for the tabs", async () => {
    const { place, search, found } = await searchWarehouse();
    const ada = await place("PO-77-A", "Ada@Example.com", "corr-ada");
    const bob = await place("PO-78", "bob@example.com", "corr-bob");
    const bobAgain = await place("PO-79", "bob@example.com", "corr-bob-2");
    await place("F-9", "carol@example.com", "corr-carol");

    expect(await found(ada.id)).toEqual([ada.id]);
    expect(await found("corr-bob")).toEqual([bob.id]);
    expect(await found("PO-78")).toEqual([bob.id]);
    expect(await found("po-77-a")).toEqual([ada.id]);
    expect(await found("Po-77-A")).toEqual([ada.id]);
    expect(await found("ADA@example.COM")).toEqual([ada.id]);
    expect(await found("  ada@example.com ")).toEqual([ada.id]);
    expect(await found("bob@example.com")).toEqual([bobAgain.id, bob.id]);
    expect(await found("nobody@example.com")).toEqual([]);
    expect((await search("PO-78")).counts).toEqual({ received: 3, picking: 0, packed: 0, shipped: 0, cancelled: 0, rejected: 1 });
  });

  it("does not match part of a key: a search is exact, not a prefix or substring one", async () => {
    const { place, found } = await searchWarehouse();
    const ada = await place("PO-77-A", "ada@example.com", "corr-ada");

    expect(await found("ada@example.com")).toEqual([ada.id]);
    for (const part of ["ada", "ada@exa", "example.com", "PO-7", "PO-77", "77-A", "corr", ada.id.slice(0, 13), ada.id.slice(-8)]) {
      expect(await found(part), part).toEqual([]);
    }
  });

  it("finds an order by the correlation ID of any event in its trail: a staff move, a cancellation", async () => {
    const { place, move, found } = await searchWarehouse();
    const ada = await place("PO-1", "ada@example.com", "corr-ada");
    const bob = await place("PO-2", "bob@example.com", "corr-bob");
    await move(ada.id, { to: "picking" }, "click-pick-ada");
    await move(bob.id, { to: "cancelled", reason: "Customer asked" }, "click-cancel-bob");

    expect(await found("click-pick-ada")).toEqual([ada.id]);
    expect(await found("click-cancel-bob")).toEqual([bob.id]);
    // Exact, as for every key: a part of the ID finds nothing.
    expect(await found("click-pick")).toEqual([]);
  });

  it.each(["limit=0", "limit=101", "limit=abc", "status=lost", "cursor=nope", `q=${"x".repeat(255)}`])(
    "answers 400 to %s",
    async (query) => {
      const res = await get(`/api/orders?${query}`);

      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "validation_failed", correlationId: expect.any(String) });
    },
  );
});
