import { describe, expect, it } from "vitest";

import { routeOf } from "./routes";

describe("routeOf", () => {
  it("names a request by its route, never by what varies in its path", () => {
    expect(routeOf("/")).toBe("/");
    expect(routeOf("/orders/ST-000123")).toBe("/orders/[number]");
    expect(routeOf("/orders/find")).toBe("/orders/find");
    expect(routeOf("/orders/new")).toBe("/orders/new");
    expect(routeOf("/products/MUG-01")).toBe("/products/[sku]");
    expect(routeOf("/api/orders/ST-000001")).toBe("/api/orders/[number]");
    expect(routeOf("/_next/static/chunks/abc.js")).toBe("/_next/*");
    expect(routeOf("/readyz")).toBe("/readyz");
  });

  it("puts every other path under one name, whatever a client sends", () => {
    expect(routeOf("/wp-admin/setup.php")).toBe("other");
    expect(routeOf("/orders/a/b")).toBe("other");
    expect(routeOf(`/${"x".repeat(5000)}`)).toBe("other");
  });
});
