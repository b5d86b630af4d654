import { readFileSync } from "node:fs";

import { afterEach, describe, expect, it, vi } from "vitest";

import { orderInput, orderRequest, readLogLines } from "./test/fixtures.js";
import { sendRaw, serveOnLoopback } from "./test/loopback.js";
import { createTestWarehouse, type TestWarehouse } from "./testing.js";

let warehouse: TestWarehouse | undefined;
afterEach(() => warehouse?.close());

function logLines(w: TestWarehouse) {
  return readLogLines(w.logFile ? readFileSync(w.logFile, "utf8") : "");
}

describe("correlation IDs", () => {
  it("mints an ID when the caller sends none and returns it", async () => {
    warehouse = await createTestWarehouse();
    const res = await warehouse.app.request("/healthz");

    expect(res.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("replaces a hostile ID and logs only its length, never its content", async () => {
    warehouse = await createTestWarehouse({ logFile: true });
    const hostile = 'evil\u001b[31m"}injected'.padEnd(300, "x");
    const res = await warehouse.app.request("/healthz", { headers: { "x-correlation-id": hostile } });

    const id = res.headers.get("x-correlation-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = logLines(warehouse);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        correlationId: id,
        invalidLength: hostile.length,
        msg: "invalid inbound correlation ID replaced",
      }),
    );
    expect(JSON.stringify(lines)).not.toContain("evil");
  });

  it("writes service and correlation ID on every line of a request, including one access line", async () => {
    warehouse = await createTestWarehouse({ logFile: true });
    await warehouse.app.request("/api/orders", await orderRequest(orderInput(), { "x-correlation-id": "trace-me" }));

    const lines = logLines(warehouse);
    expect(lines.map((line) => line.msg)).toEqual(["order received", "request completed"]);
    for (const line of lines) expect(line).toMatchObject({ service: "warehouse-api", correlationId: "trace-me" });
    expect(lines[1]).toMatchObject({ method: "POST", path: "/api/orders", status: 201, durationMs: expect.any(Number) });
  });
});

describe("errors", () => {
  it("logs a hostile path still percent-encoded, never with raw control characters", async () => {
    warehouse = await createTestWarehouse({ logFile: true });
    const res = await warehouse.app.request("/%1b%5b31m%0d%0afake", { headers: { "x-correlation-id": "odd-path" } });

    expect(res.status).toBe(404);
    const [line] = logLines(warehouse);
    expect(line).toMatchObject({ correlationId: "odd-path", path: "/%1b%5b31m%0d%0afake", status: 404 });
    expect(JSON.stringify(await res.json())).not.toMatch(/\\u001b|\\r|\\n/);
  });

  it("answers an unknown route with 404 in the error shape", async () => {
    warehouse = await createTestWarehouse();
    const res = await warehouse.app.request("/nope", { headers: { "x-correlation-id": "lost" } });

    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "not_found", message: "No route for GET /nope.", correlationId: "lost" });
  });

  it("logs a body the client broke off (a malformed chunk) as the client's error: one warning and a 400 access line", async () => {
    const w = (warehouse = await createTestWarehouse({ logFile: true }));
    const server = await serveOnLoopback(w.app);
    try {
      const answer = await sendRaw(
        server.url,
        "POST /api/session HTTP/1.1\r\nHost: warehouse\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n" +
          'X-Correlation-Id: broken-body\r\n\r\nzz\r\n{"email":\r\n0\r\n\r\n',
      );

      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      // The server finishes with the request after the client has its answer: wait for its access line.
      await vi.waitFor(() => {
        expect(logLines(w).filter((line) => line.correlationId === "broken-body")).toEqual([
          expect.objectContaining({ level: "warn", msg: "request body broken off: malformed, or the client went away" }),
          expect.objectContaining({ level: "info", msg: "request completed", path: "/api/session", status: 400 }),
        ]);
      });
      expect(JSON.stringify(logLines(w))).not.toMatch(/"level":"error"|stack/);
    } finally {
      await server.close();
    }
  });

  it("turns an unexpected failure into a 500 without a stack trace", async () => {
    warehouse = await createTestWarehouse();
    warehouse.db.$client.exec("DROP TABLE order_lines");
    const res = await warehouse.app.request("/api/orders", await orderRequest(orderInput(), { "x-correlation-id": "boom" }));

    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "internal_error", message: "Something went wrong.", correlationId: "boom" });
  });
});

describe("health", () => {
  it("/readyz (and /healthz) is 200 while the database answers and 503 when it does not; /livez stays 200", async () => {
    warehouse = await createTestWarehouse();
    for (const path of ["/livez", "/readyz", "/healthz"]) expect((await warehouse.app.request(path)).status).toBe(200);

    warehouse.db.$client.close();
    for (const path of ["/readyz", "/healthz"]) {
      const res = await warehouse.app.request(path);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: "unavailable", message: "The database did not answer." });
    }
    expect((await warehouse.app.request("/livez")).status).toBe(200);
  });

  it("/readyz is 503 while the status-event relay is configured but not running, and when migrations are missing", async () => {
    let running = false;
    warehouse = await createTestWarehouse({ relayRunning: () => running });
    const notRunning = await warehouse.app.request("/readyz");
    expect(notRunning.status).toBe(503);
    expect(await notRunning.json()).toMatchObject({ message: "The status-event relay is not running." });
    running = true;
    expect((await warehouse.app.request("/readyz")).status).toBe(200);

    warehouse.db.$client.exec("DELETE FROM __drizzle_migrations WHERE rowid = (SELECT max(rowid) FROM __drizzle_migrations)");
    expect(await (await warehouse.app.request("/readyz")).json()).toMatchObject({
      message: expect.stringMatching(/^The database has \d+ of \d+ migrations\.$/) as string,
    });
  });
});

describe("GET /openapi.json", () => {
  it("documents the order routes", async () => {
    warehouse = await createTestWarehouse();
    const doc = (await (await warehouse.app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };

    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/orders", "/api/orders/{id}", "/healthz"]));
  });
});
