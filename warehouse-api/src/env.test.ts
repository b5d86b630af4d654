import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.js";

const SECRET = "s".repeat(32);

describe("warehouse env", () => {
  it("has working defaults", () => {
    expect(parseEnv({})).toMatchObject({ WAREHOUSE_PORT: 9000, WAREHOUSE_DB_PATH: "./data/warehouse.db", WAREHOUSE_REJECT_PREFIX: "F" });
  });

  it("accepts an empty reject prefix, which turns the rule off", () => {
    expect(parseEnv({ WAREHOUSE_REJECT_PREFIX: "" }).WAREHOUSE_REJECT_PREFIX).toBe("");
  });

  it("wants the admin email and password together", () => {
    expect(() => parseEnv({ WAREHOUSE_ADMIN_EMAIL: "admin@example.com" })).toThrow(/WAREHOUSE_ADMIN_PASSWORD: set both/);
  });

  it("leaves the status relay off by default, and checks every second", () => {
    const env = parseEnv({});
    expect(env.STORE_URL ?? env.WAREHOUSE_EVENTS_SECRET).toBeUndefined();
    expect(env.WAREHOUSE_RELAY_INTERVAL_MS).toBe(1000);
  });

  it("takes the store URL and events secret together", () => {
    const env = parseEnv({ STORE_URL: "http://localhost:8000", WAREHOUSE_EVENTS_SECRET: SECRET, WAREHOUSE_RELAY_INTERVAL_MS: "200" });
    expect(env).toMatchObject({ STORE_URL: "http://localhost:8000", WAREHOUSE_EVENTS_SECRET: SECRET, WAREHOUSE_RELAY_INTERVAL_MS: 200 });
  });

  it.each([
    ["WAREHOUSE_EVENTS_SECRET", { STORE_URL: "http://localhost:8000" }],
    ["STORE_URL", { WAREHOUSE_EVENTS_SECRET: SECRET }],
  ])("names %s when only the other one is set", (missing, source) => {
    expect(() => parseEnv(source)).toThrow(new RegExp(`^Invalid warehouse environment:\\n  ${missing}: set both STORE_URL and WAREHOUSE_EVENTS_SECRET, or neither$`));
  });

  it("does not print the events secret when it is too short", () => {
    expect(() => parseEnv({ STORE_URL: "http://localhost:8000", WAREHOUSE_EVENTS_SECRET: "hunter2-secret" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") as unknown }),
    );
  });

  it.each([
    ["WAREHOUSE_PORT", "nine thousand"],
    ["WAREHOUSE_PORT", "70000"],
    ["LOG_LEVEL", "loud"],
    ["WAREHOUSE_REJECT_PREFIX", "F F"],
    ["WAREHOUSE_ADMIN_PASSWORD", "short"],
    ["STORE_URL", "localhost:8000"],
    ["STORE_URL", "ftp://store.example"],
    ["WAREHOUSE_EVENTS_SECRET", "too-short"],
    ["WAREHOUSE_RELAY_INTERVAL_MS", "10"],
    ["WAREHOUSE_RELAY_INTERVAL_MS", "120000"],
    ["WAREHOUSE_RELAY_INTERVAL_MS", "soon"],
  ])("refuses a bad %s and names it", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`^Invalid warehouse environment:\\n  ${name}: `));
  });
});
