import { readFileSync } from "node:fs";

import { afterEach, describe, expect, it } from "vitest";

import { idempotencyKeys, orderEvents, orders } from "../db/schema.js";
import { jsonRequest, orderInput, orderRequest, readLogLines } from "../test/fixtures.js";
import { createTestWarehouse, storeAuthorization, testDialect, type TestWarehouse } from "../testing.js";
import { deleteExpiredIdempotencyKeys, IDEMPOTENCY_KEY_TTL_MS, parseIdempotencyKey } from "./idempotency.js";
import type { Order } from "./orders.schemas.js";

let warehouse: TestWarehouse;
afterEach(async () => {
  await warehouse.close();
});

const post = async (body: unknown, key: string | undefined, headers: Record<string, string> = {}) =>
  warehouse.app.request(
    "/api/orders",
    jsonRequest(body, { authorization: await storeAuthorization(), ...(key === undefined ? {} : { "idempotency-key": key }), ...headers }),
  );

const count = async (table: typeof orders | typeof orderEvents | typeof idempotencyKeys) => (await warehouse.rows(table)).length;

describe("Idempotency-Key on POST /api/orders", () => {
  it("replays the first answer to a retry with the same key and body, creating nothing, and logs it", async () => {
    warehouse = await createTestWarehouse({ logFile: true });
    const input = orderInput();
    const key = `"${input.storeOrderId}"`;

    const first = await post(input, key, { "x-correlation-id": "first-try" });
    const retry = await post(input, key, { "x-correlation-id": "retry" });

    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    // The same bytes, not only the same JSON.
    const sent = await first.text();
    expect(await retry.text()).toBe(sent);
    const order = JSON.parse(sent) as Order;
    expect(await Promise.all([count(orders), count(orderEvents), count(idempotencyKeys)])).toEqual([1, 1, 1]);

    const lines = readLogLines(readFileSync(warehouse.logFile ?? "", "utf8"));
    expect(lines).toContainEqual(expect.objectContaining({ msg: "order creation replayed", orderId: order.id, correlationId: "retry" }));
  });

  it("replays a rejection as the same 422, keeping one rejected order", async () => {
    warehouse = await createTestWarehouse();
    const input = orderInput({ reference: "F-9" });

    const first = await post(input, "reject-once");
    const retry = await post(input, "reject-once");

    expect([first.status, retry.status]).toEqual([422, 422]);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const sent = await first.text();
    expect(await retry.text()).toBe(sent);
    expect(JSON.parse(sent)).toMatchObject({ error: "order_rejected", order: { status: "rejected" } });
    expect(await count(orders)).toBe(1);
  });

  it("replays an answer stored before the order's shape changed as the order now is, not as a 500", async () => {
    warehouse = await createTestWarehouse();
    const input = orderInput();
    const first = (await (await post(input, "old-shape")).json()) as Order;
    // What a key stored by an earlier release might hold: an answer the current schema no longer reads.
    await warehouse.execute("update idempotency_keys set body = ? where key = 'old-shape'", '{"orderId":"from an older release"}');

    const retry = await post(input, "old-shape");

    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(first);
    expect(await count(orders)).toBe(1);
  });

  it("treats another encoding of the same order (key order, spacing) as the same request", async () => {
    warehouse = await createTestWarehouse();
    const { storeOrderId, ...rest } = orderInput();

    await post({ storeOrderId, ...rest }, "same-order");
    const retry = await post(JSON.stringify({ ...rest, storeOrderId }, null, 2), "same-order");

    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
  });

  it("answers 422 idempotency_key_reused to the same key with another body, creating nothing", async () => {
    warehouse = await createTestWarehouse();
    await post(orderInput({ reference: "PO-1" }), "reused");

    const res = await post(orderInput({ reference: "PO-2" }), "reused", { "x-correlation-id": "reuse" });

    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: "idempotency_key_reused", message: expect.any(String), correlationId: "reuse" });
    expect(await count(orders)).toBe(1);
  });

  it("answers 409 store_order_exists to a second order for the same store order under another key, creating nothing", async () => {
    warehouse = await createTestWarehouse();
    const input = orderInput();

    const first = await post(input, "first-key");
    const second = await post(input, "another-key", { "x-correlation-id": "second-key" });
    const changed = await post({ ...input, reference: "PO-OTHER" }, "a-third-key");

    expect(first.status).toBe(201);
    const { id } = (await first.json()) as Order;
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({
      error: "store_order_exists",
      message: `The warehouse already has order ${id} for this storeOrderId, under another Idempotency-Key.`,
      correlationId: "second-key",
    });
    expect(changed.status).toBe(409);
    expect(await Promise.all([count(orders), count(orderEvents), count(idempotencyKeys)])).toEqual([1, 1, 1]);
    // The first key still replays its own answer.
    expect((await post(input, "first-key")).headers.get("idempotent-replayed")).toBe("true");
  });

  it("keeps one order per store order in the table itself, whatever writes it", async () => {
    warehouse = await createTestWarehouse();
    expect((await post(orderInput({ storeOrderId: "st-1" }), "key-1")).status).toBe(201);
    expect((await post(orderInput({ storeOrderId: "st-2" }), "key-2")).status).toBe(201);

    // SQLite's words, or Postgres's.
    await expect(warehouse.execute("update orders set store_order_id = 'st-1'")).rejects.toThrow(
      /UNIQUE constraint failed: orders.store_order_id|unique constraint "orders_store_order_id_unique"/,
    );
  });

  it("answers 400 idempotency_key_missing without a key, storing nothing", async () => {
    warehouse = await createTestWarehouse();

    const res = await post(orderInput(), undefined, { "x-correlation-id": "no-key" });

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "idempotency_key_missing", message: expect.any(String), correlationId: "no-key" });
    expect(await count(orders)).toBe(0);
  });

  it.each([
    ["empty", ""],
    ["over 255 characters", "k".repeat(256)],
    ["with a space", "two words"],
    ["with a log-forging newline escape", "key\\nforged"],
    ["with an unbalanced quote", '"abc'],
  ])("answers 400 idempotency_key_invalid to a key %s, and never logs it", async (_, key) => {
    warehouse = await createTestWarehouse({ logFile: true });

    const res = await post(orderInput(), key);

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "idempotency_key_invalid" });
    expect(await count(orders)).toBe(0);
    const log = readFileSync(warehouse.logFile ?? "", "utf8");
    expect(log).toContain("invalid idempotency key refused");
    if (key.length > 0) expect(log).not.toContain(key);
  });

  it("accepts the draft's quoted form and the bare form as the same key", () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe("8e03978e-40d5-43e8-bc93-6894a57f9324");
    expect(parseIdempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324")).toBe("8e03978e-40d5-43e8-bc93-6894a57f9324");
    expect(parseIdempotencyKey("k".repeat(255))).toBe("k".repeat(255));
  });

  it("answers 409 idempotency_key_in_flight to a duplicate sent while the first is still being read, and creates one order", async () => {
    warehouse = await createTestWarehouse();
    const input = orderInput();
    // The first request's body arrives only when the test says so: it is in flight until then.
    // With a Content-Length, as Node's server sees it, the body is read in the handler's validator.
    const bytes = new TextEncoder().encode(JSON.stringify(input));
    let finishBody: () => void = () => undefined;
    // The body is read once the request is past the gates (its token checked, the key held): the stream is
    // asked for more then, and not before.
    let reading: () => void = () => undefined;
    const pastTheGate = new Promise<void>((resolve) => (reading = resolve));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 10));
        finishBody = () => {
          controller.enqueue(bytes.subarray(10));
          controller.close();
        };
      },
      pull() {
        reading();
      },
    });
    const first = warehouse.app.request("/api/orders", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "content-length": String(bytes.length),
        "idempotency-key": "racing",
        authorization: await storeAuthorization(),
      },
      body,
      duplex: "half",
    });

    await pastTheGate;
    const duplicate = await post(input, "racing", { "x-correlation-id": "duplicate" });
    finishBody();
    const firstRes = await first;
    const later = await post(input, "racing");

    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ error: "idempotency_key_in_flight", correlationId: "duplicate" });
    expect(firstRes.status).toBe(201);
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBe("true");
    expect(await count(orders)).toBe(1);
  });

  // Replicas share the database on Postgres only (ADR 0015). Each replica's in-memory gate lets its own
  // request through, so the database decides: the second insert is refused and answered as a replay.
  it.skipIf(testDialect() !== "postgres")("creates one order from identical requests racing on two replicas", async () => {
    warehouse = await createTestWarehouse();
    const replica = await createTestWarehouse({ replicaOf: warehouse });
    try {
      const input = orderInput();
      const send = async (on: TestWarehouse) =>
        on.app.request("/api/orders", await orderRequest(input, { "idempotency-key": "raced-across-replicas" }));
      const answers = await Promise.all([send(warehouse), send(replica)]);

      expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
      expect(answers.map((answer) => answer.headers.get("idempotent-replayed")).sort()).toEqual(["true", null].sort());
      const [first, second] = (await Promise.all(answers.map((answer) => answer.json()))) as Order[];
      expect(second?.id).toBe(first?.id);
      expect(await count(orders)).toBe(1);
    } finally {
      await replica.close();
    }
  });

  it("creates one order from many identical requests racing on the same key", async () => {
    warehouse = await createTestWarehouse();
    const input = orderInput();

    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await post(input, "stampede")).status));

    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    expect(await count(orders)).toBe(1);
    expect(await count(orderEvents)).toBe(1);
  });

  it("frees a key whose request failed validation, so the corrected order can use it", async () => {
    warehouse = await createTestWarehouse();

    const bad = await post(orderInput({ lines: [] }), "fix-and-retry");
    const good = await post(orderInput(), "fix-and-retry");

    expect([bad.status, good.status]).toEqual([400, 201]);
    expect(good.headers.get("idempotent-replayed")).toBeNull();
  });

  it("forgets keys after 24 hours, and only then", async () => {
    warehouse = await createTestWarehouse();
    await post(orderInput(), "old-key");
    const now = Date.now();

    expect(await deleteExpiredIdempotencyKeys(warehouse.database, new Date(now + IDEMPOTENCY_KEY_TTL_MS - 60_000))).toBe(0);
    expect(await deleteExpiredIdempotencyKeys(warehouse.database, new Date(now + IDEMPOTENCY_KEY_TTL_MS + 60_000))).toBe(1);
    expect(await count(idempotencyKeys)).toBe(0);
    expect(await count(orders)).toBe(1);
  });

  it("documents the header on the route in /openapi.json", async () => {
    warehouse = await createTestWarehouse();
    const doc = (await (await warehouse.app.request("/openapi.json")).json()) as {
      paths: {
        "/api/orders": {
          post: {
            parameters?: { name: string; in: string; required?: boolean; description?: string }[];
            responses: Record<string, unknown>;
          };
        };
      };
    };
    const { post: create } = doc.paths["/api/orders"];

    expect(create.parameters).toContainEqual(expect.objectContaining({ name: "idempotency-key", in: "header", required: true }));
    expect(create.parameters?.find((p) => p.name === "idempotency-key")?.description).toMatch(/24 hours/);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(["201", "400", "409", "422"]));
  });
});
