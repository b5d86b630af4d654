import { describe, expect, it } from "vitest";

import { limitHeapGrowth } from "./heap.js";

/** The flags limitHeapGrowth would hand V8, started with `execArgv`. */
function flagsSet(execArgv: string[]): string[] {
  const set: string[] = [];
  limitHeapGrowth(execArgv, (flag) => set.push(flag));
  return set;
}

describe("limitHeapGrowth", () => {
  it("sets V8's growth factor when node was started without one", () => {
    expect(flagsSet([])).toEqual(["--heap-growing-percent=20"]);
    expect(flagsSet(["--enable-source-maps"])).toEqual(["--heap-growing-percent=20"]);
  });

  it("leaves a factor given on node's command line alone, in either spelling", () => {
    expect(flagsSet(["--heap-growing-percent=100"])).toEqual([]);
    expect(flagsSet(["--heap_growing_percent=100"])).toEqual([]);
  });
});
