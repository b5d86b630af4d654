import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { createApp } from "./app.js";
import { createTestWarehouse } from "./testing.js";

const dir = mkdtempSync(join(tmpdir(), "dashboard-"));
mkdirSync(join(dir, "assets"));
writeFileSync(join(dir, "index.html"), "<!doctype html><title>fishtag warehouse</title>");
writeFileSync(join(dir, "assets", "main-abc123.js"), "console.log('dashboard')");
const warehouse = await createTestWarehouse();
const app = createApp({
  db: warehouse.database,
  logger: warehouse.logger,
  rejectPrefix: "F",
  storePublicKey: undefined,
  dashboardDir: dir,
});
afterAll(async () => {
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the staff dashboard", () => {
  it("is served at / with its correlation ID, and revalidated on every visit", async () => {
    const res = await app.request("/", { headers: { "x-correlation-id": "open-dashboard" } });

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-correlation-id")).toBe("open-dashboard");
    expect(await res.text()).toContain("fishtag warehouse");
  });

  it("is served at each of its pages' URLs, so a link to an order survives a reload and can be pasted", async () => {
    for (const path of ["/orders/0190a6e2-0000-7000-8000-000000000001", "/orders/not-an-order", "/accounts", "/password"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("no-cache");
      expect(await res.text(), path).toContain("fishtag warehouse");
    }
  });

  it("answers a browser asking for a page it does not have with itself, as a 404 (it says so, and leads back)", async () => {
    for (const path of ["/nowhere", "/orders/a/b"]) {
      const res = await app.request(path, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/text\/html/);
      expect(await res.text(), path).toContain("fishtag warehouse");
    }
    const api = await app.request("/api/nowhere", { headers: { accept: "text/html" } });
    expect(await api.json()).toMatchObject({ error: "not_found" });
  });

  it("answers any other path with the API's 404, not the dashboard", async () => {
    for (const path of ["/orders", "/orders/a/b", "/nowhere", "/api/nowhere"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toMatchObject({ error: "not_found" });
    }
  });

  it("serves its hashed assets for a year", async () => {
    const res = await app.request("/assets/main-abc123.js");

    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("answers a missing asset with the API's 404 shape", async () => {
    const res = await app.request("/assets/nope.js");

    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "not_found" });
  });
});

describe("security headers", () => {
  it("keep the dashboard out of frames and its scripts to this origin", async () => {
    const res = await app.request("/");

    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("are on API answers too, errors included", async () => {
    const res = await app.request("/api/orders");

    expect(res.status).toBe(401);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });
});
