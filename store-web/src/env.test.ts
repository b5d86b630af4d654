import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("store env", () => {
  it("has working defaults", () => {
    expect(parseEnv({})).toMatchObject({ STORE_PORT: 8000, WAREHOUSE_URL: "http://localhost:9000", WAREHOUSE_TIMEOUT_MS: 5000 });
  });

  it.each([
    ["WAREHOUSE_URL", "localhost:9000"],
    ["WAREHOUSE_URL", "ftp://warehouse"],
    ["STORE_PORT", "0"],
    ["WAREHOUSE_TIMEOUT_MS", "forever"],
  ])("refuses a bad %s and names it", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`^Invalid store environment:\\n  ${name}: `));
  });
});
