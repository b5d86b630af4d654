import { describe, expect, it } from "vitest";

import { limitHeapGrowth } from "./heap.js";

describe("limitHeapGrowth", () => {
  it("sets the growth factor when node was started without one", () => {
    expect(limitHeapGrowth([])).toBe(true);
    expect(limitHeapGrowth(["--enable-source-maps"])).toBe(true);
  });

  it("leaves a factor given on node's command line alone, in either spelling", () => {
    expect(limitHeapGrowth(["--heap-growing-percent=100"])).toBe(false);
    expect(limitHeapGrowth(["--heap_growing_percent=100"])).toBe(false);
  });
});
