import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { refusedAuthorizations } from "@fishtag/service-auth/testing";

import { orderInput, orderRequest, readLogLines } from "../test/fixtures.js";
import { createTestWarehouse, storeAuthorization, TEST_SERVICE_KEYS, testDialect, type TestWarehouse } from "../testing.js";

let warehouse: TestWarehouse;
beforeAll(async () => {
  warehouse = await createTestWarehouse({ logFile: true });
});
afterAll(async () => {
  await warehouse.close();
});

const logLines = () => readLogLines(readFileSync(warehouse.logFile ?? "", "utf8"));

const cases = await refusedAuthorizations({
  caller: TEST_SERVICE_KEYS.store,
  issuer: "store-web",
  audience: "warehouse-api",
  method: "POST",
  url: "http://localhost/api/orders",
});

describe("service authentication on POST /api/orders", () => {
  it.each(cases)(
    "refuses a call with %s: 401 in the one error shape, a warning with the reason, never the token",
    async (name, authorization) => {
      const correlationId = `auth-${cases.findIndex(([other]) => other === name)}`;
      const headers: Record<string, string> = { "x-correlation-id": correlationId };
      const init = await orderRequest(orderInput(), headers);
      const sent = new Headers(init.headers);
      if (authorization === undefined) sent.delete("authorization");
      else sent.set("authorization", authorization);

      const res = await warehouse.app.request("/api/orders", { ...init, headers: sent });

      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: "unauthenticated",
        message: expect.stringContaining("service token") as unknown,
        correlationId,
      });
      const refusal = logLines().find(
        (line) => line.correlationId === correlationId && line.msg === "service call refused: not authenticated",
      );
      expect(refusal).toMatchObject({ level: "warn", reason: expect.any(String) as unknown, path: "/api/orders" });
      const token = authorization?.replace(/^\S+ /, "");
      if (token) expect(JSON.stringify(logLines())).not.toContain(token);
    },
  );

  it("accepts a fresh token the store signed for the warehouse", async () => {
    const res = await warehouse.app.request("/api/orders", await orderRequest(orderInput()));
    expect(res.status).toBe(201);
  });

  it("takes a token once: the same token again is refused as replayed, even on a call that would otherwise pass", async () => {
    const authorization = await storeAuthorization();
    const first = await warehouse.app.request("/api/orders", await orderRequest(orderInput(), { authorization }));
    const replayed = await warehouse.app.request(
      "/api/orders",
      await orderRequest(orderInput(), { authorization, "x-correlation-id": "replayed-token" }),
    );

    expect(first.status).toBe(201);
    expect(replayed.status).toBe(401);
    expect(logLines()).toContainEqual(expect.objectContaining({ correlationId: "replayed-token", reason: "replayed" }));
  });

  // Replicas share a database on Postgres only (ADR 0015): one SQLite process remembers tokens in memory.
  it.skipIf(testDialect() !== "postgres")(
    "takes a token once across replicas: another replica refuses the token one accepted",
    async () => {
      const replica = await createTestWarehouse({ replicaOf: warehouse, logFile: true });
      try {
        const authorization = await storeAuthorization();
        const first = await warehouse.app.request("/api/orders", await orderRequest(orderInput(), { authorization }));
        const elsewhere = await replica.app.request("/api/orders", await orderRequest(orderInput(), { authorization }));

        expect(first.status).toBe(201);
        expect(elsewhere.status).toBe(401);
        expect(readLogLines(readFileSync(replica.logFile ?? "", "utf8"))).toContainEqual(expect.objectContaining({ reason: "replayed" }));
      } finally {
        await replica.close();
      }
    },
  );

  it("checks the token before the Idempotency-Key, so a refused call does not hold the key", async () => {
    const key = crypto.randomUUID();
    const refused = await warehouse.app.request(
      "/api/orders",
      await orderRequest(orderInput(), { "idempotency-key": key, authorization: "Bearer nope" }),
    );
    const accepted = await warehouse.app.request("/api/orders", await orderRequest(orderInput(), { "idempotency-key": key }));

    expect(refused.status).toBe(401);
    expect(accepted.status).toBe(201);
    expect(accepted.headers.get("idempotent-replayed")).toBeNull();
  });

  it("refuses every call when the store's public key is not configured", async () => {
    const unconfigured = await createTestWarehouse({ logFile: true, storePublicKey: undefined });
    try {
      const res = await unconfigured.app.request("/api/orders", await orderRequest(orderInput(), { "x-correlation-id": "no-key" }));
      expect(res.status).toBe(401);
      expect(readLogLines(readFileSync(unconfigured.logFile ?? "", "utf8"))).toContainEqual(
        expect.objectContaining({ correlationId: "no-key", reason: "not_configured" }),
      );
    } finally {
      await unconfigured.close();
    }
  });

  it("keeps the staff API on its session: a valid store token does not open it", async () => {
    const res = await warehouse.app.request("/api/orders", { headers: { authorization: await storeAuthorization() } });
    expect(res.status).toBe(401);
  });

  it("leaves /healthz and /openapi.json open", async () => {
    expect((await warehouse.app.request("/healthz")).status).toBe(200);
    expect((await warehouse.app.request("/openapi.json")).status).toBe(200);
  });

  it("documents both security schemes: the store's bearer token on order creation, the staff session elsewhere", async () => {
    const doc = (await (await warehouse.app.request("/openapi.json")).json()) as {
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
    };
    expect(doc.components.securitySchemes).toMatchObject({
      storeToken: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      staffSession: { type: "apiKey", in: "cookie" },
    });
    expect(doc.paths["/api/orders"]?.post).toMatchObject({
      security: [{ storeToken: [] }],
      responses: { "401": expect.any(Object) as unknown },
    });
    expect(doc.paths["/api/orders"]?.get).toMatchObject({ security: [{ staffSession: [] }] });
  });
});
