import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("store env", () => {
  it("has working defaults", () => {
    expect(parseEnv({})).toMatchObject({ STORE_PORT: 8000, WAREHOUSE_URL: "http://localhost:9000", WAREHOUSE_TIMEOUT_MS: 5000, STORE_CHECKOUT_LIMIT_PER_MINUTE: 10 });
  });

  it("keeps the database in ./data by default and takes another path", () => {
    expect(parseEnv({}).STORE_DB_PATH).toBe("./data/store.db");
    expect(parseEnv({ STORE_DB_PATH: "/var/lib/store/store.db" }).STORE_DB_PATH).toBe("/var/lib/store/store.db");
  });

  it("leaves the events secret unset by default and accepts one of 32 characters or more", () => {
    expect(parseEnv({}).WAREHOUSE_EVENTS_SECRET).toBeUndefined();
    expect(parseEnv({ WAREHOUSE_EVENTS_SECRET: "s".repeat(32) }).WAREHOUSE_EVENTS_SECRET).toBe("s".repeat(32));
  });

  it("names a short events secret without echoing it", () => {
    expect(() => parseEnv({ WAREHOUSE_EVENTS_SECRET: "short-secret" })).toThrow(/WAREHOUSE_EVENTS_SECRET: Use at least 32 characters\./);
    expect(() => parseEnv({ WAREHOUSE_EVENTS_SECRET: "short-secret" })).not.toThrow(/short-secret/);
  });

  it.each([
    ["WAREHOUSE_URL", "localhost:9000"],
    ["WAREHOUSE_URL", "ftp://warehouse"],
    ["STORE_PORT", "0"],
    ["WAREHOUSE_TIMEOUT_MS", "forever"],
    ["STORE_CHECKOUT_LIMIT_PER_MINUTE", "0"],
    ["STORE_DB_PATH", ""],
  ])("refuses a bad %s and names it", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`^Invalid store environment:\\n  ${name}: `));
  });
});
