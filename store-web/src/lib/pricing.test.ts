import { describe, expect, it } from "vitest";

import { chargesFor } from "./pricing";

describe("the store's charges", () => {
  it("adds £4.95 shipping under £50 of goods, none from £50, and none on nothing", () => {
    expect(chargesFor(4999)).toMatchObject({ subtotalCents: 4999, shippingCents: 495, totalCents: 5494 });
    expect(chargesFor(5000)).toMatchObject({ subtotalCents: 5000, shippingCents: 0, totalCents: 5000 });
    expect(chargesFor(0)).toMatchObject({ shippingCents: 0, totalCents: 0 });
  });

  it("shows the VAT included in the total, at 20%: a sixth of it, to the nearest penny", () => {
    expect(chargesFor(6000).vatCents).toBe(1000);
    expect(chargesFor(2900).vatCents).toBe(Math.round(3395 / 6));
  });
});
