import { describe, expect, it } from "vitest";

import { newKeysNotice, type ServiceKeys } from "./secrets.js";

const keys = (madeNow: boolean): ServiceKeys => ({
  store: { STORE_SIGNING_KEY: "store-private", WAREHOUSE_PUBLIC_KEY: "warehouse-public" },
  warehouse: { WAREHOUSE_SIGNING_KEY: "warehouse-private", STORE_PUBLIC_KEY: "store-public" },
  madeNow,
});

describe("the notice for new service keys", () => {
  it("gives each service the other's public key as an env line, and never prints a private key", () => {
    const printed = newKeysNotice(keys(true)).join("\n");
    expect(printed).toContain("for the store:      WAREHOUSE_PUBLIC_KEY=warehouse-public");
    expect(printed).toContain("for the warehouse:  STORE_PUBLIC_KEY=store-public");
    expect(printed).not.toMatch(/private/);
  });

  it("says nothing for keys that already existed", () => {
    expect(newKeysNotice(keys(false))).toEqual([]);
  });
});
