import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.js";

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

  it.each([
    ["WAREHOUSE_PORT", "nine thousand"],
    ["WAREHOUSE_PORT", "70000"],
    ["LOG_LEVEL", "loud"],
    ["WAREHOUSE_REJECT_PREFIX", "F F"],
    ["WAREHOUSE_ADMIN_PASSWORD", "short"],
  ])("refuses a bad %s and names it", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`^Invalid warehouse environment:\\n  ${name}: `));
  });
});
