import { describe, expect, it } from "vitest";

import { bucketOf, decideFlags, flagsForCustomer, parseOverride } from "./flags";

const customers = Array.from({ length: 4000 }, () => crypto.randomUUID());

describe("a customer's flags", () => {
  it("are the same every time for the same customer", () => {
    for (const customerId of customers.slice(0, 200)) {
      const first = flagsForCustomer(customerId);
      expect(flagsForCustomer(customerId)).toEqual(first);
      expect(decideFlags({ customerId, override: undefined, development: false }).flags).toEqual(first);
    }
    // Fixed by the hash alone, not by the process or the release: a change to the rule would move customers
    // between lanes, and must be made on purpose.
    expect(bucketOf("priority-lane", "11111111-1111-4111-8111-111111111111")).toBe(46);
    expect(flagsForCustomer("11111111-1111-4111-8111-111111111111")).toEqual(["priority-lane"]);
    expect(bucketOf("priority-lane", "00000000-0000-4000-8000-000000000000")).toBe(96);
    expect(flagsForCustomer("00000000-0000-4000-8000-000000000000")).toEqual([]);
  });

  it("give priority-lane to about half of the customers", () => {
    const share = customers.filter((customerId) => flagsForCustomer(customerId).includes("priority-lane")).length / customers.length;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
  });

  it("spread customers over every bucket", () => {
    const buckets = new Set(customers.map((customerId) => bucketOf("priority-lane", customerId)));
    expect(buckets.size).toBe(100);
  });
});

describe("the development override", () => {
  const plain = customers.find((customerId) => flagsForCustomer(customerId).length === 0) ?? "";
  const priority = customers.find((customerId) => flagsForCustomer(customerId).length > 0) ?? "";

  it("sets the flags in development, either way", () => {
    expect(decideFlags({ customerId: plain, override: "priority-lane", development: true })).toEqual({
      flags: ["priority-lane"],
      overridden: true,
    });
    expect(decideFlags({ customerId: priority, override: "none", development: true })).toEqual({ flags: [], overridden: true });
  });

  it("does nothing outside development", () => {
    expect(decideFlags({ customerId: plain, override: "priority-lane", development: false })).toEqual({ flags: [], overridden: false });
    expect(decideFlags({ customerId: priority, override: "none", development: false })).toEqual({
      flags: ["priority-lane"],
      overridden: false,
    });
  });

  it("reads names joined with + or spaces (a + in a query string), ignores unknown ones, and refuses a malformed one", () => {
    expect(parseOverride("priority-lane gift-wrap")).toEqual(["priority-lane"]);
    expect(parseOverride("gift-wrap+priority-lane")).toEqual(["priority-lane"]);
    expect(parseOverride("gift-wrap")).toEqual([]);
    expect(parseOverride("PRIORITY")).toBeUndefined();
    expect(parseOverride("")).toBeUndefined();
    expect(decideFlags({ customerId: plain, override: "<script>", development: true })).toEqual({ flags: [], overridden: false });
  });
});
