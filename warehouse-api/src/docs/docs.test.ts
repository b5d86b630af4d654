import { afterAll, describe, expect, it } from "vitest";

import { createTestWarehouse } from "../testing.js";

const warehouse = await createTestWarehouse();
afterAll(async () => {
  await warehouse.close();
});

describe("the API reference at /docs", () => {
  it("is a page, written from the OpenAPI document: the order creation endpoint with its fields and answers", async () => {
    const res = await warehouse.app.request("/docs");

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain("<h1>fishtag Warehouse API</h1>");
    const start = page.indexOf('<article class="endpoint" id="op-post-api-orders"');
    expect(start).toBeGreaterThan(0);
    const creation = page.slice(start, page.indexOf("</article>", start));
    expect(creation).toMatch(/<span class="method method-post">POST<\/span> <code class="path">\/api\/orders<\/code>/);
    expect(creation).toContain("Place an order (called by the Store)");
    expect(creation).toContain("the Store&#39;s service token");
    expect(creation).toMatch(/<code class="field-name">storeOrderNumber<\/code> <span class="field-type">string, 1–32 characters<\/span>/);
    expect(creation).toMatch(/<code class="field-name">idempotency-key<\/code>/);
    for (const status of ["201", "400", "401", "409", "413", "422"]) expect(creation).toContain(`>${status}</span>`);
  });

  it("lists every documented route, and every named schema, with a link to each", async () => {
    const document = (await (await warehouse.app.request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    const page = await (await warehouse.app.request("/docs")).text();

    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) expect(page, `${method} ${path}`).toContain(`<code class="path">${path}</code>`);
    }
    for (const name of Object.keys(document.components.schemas)) {
      expect(page).toContain(`id="schema-${name}"`);
      expect(page).toContain(`href="#schema-${name}"`);
    }
  });

  it("needs nothing from another origin, and runs no script: the warehouse's CSP stays strict", async () => {
    const res = await warehouse.app.request("/docs");
    const page = await res.text();

    expect(page).not.toMatch(/<script|style=|<style|https?:\/\//);
    expect(page).toContain('<link rel="stylesheet" href="/docs/reference.css" />');
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    const css = await warehouse.app.request("/docs/reference.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expect(await css.text()).not.toMatch(/url\(|@import/);
  });
});
