import { describe, expect, it } from "vitest";

import { buildEvent } from "./build-progress.js";

// Lines as turbo 2 prints them with --output-logs=new-only --log-order=stream.
describe("buildEvent", () => {
  it("tells a package taken from the cache from one being built", () => {
    expect(buildEvent("@fishtag/tracing:build: cache hit, suppressing logs 41ffea4c12241863")).toEqual({
      type: "cached",
      task: "@fishtag/tracing",
    });
    expect(buildEvent("store-web:build: cache miss, executing fd7d4179704d0218")).toEqual({ type: "building", task: "store-web" });
  });

  it("picks Next's steps out of the store's output, and keeps the rest as output", () => {
    expect(buildEvent("store-web:build: ✓ Compiled successfully in 12.5s")).toEqual({
      type: "step",
      task: "store-web",
      text: "✓ Compiled successfully in 12.5s",
    });
    expect(buildEvent("store-web:build:   Creating an optimized production build ...")).toMatchObject({ type: "step" });
    expect(buildEvent("store-web:build: ├ ƒ /orders/[number]")).toEqual({
      type: "output",
      task: "store-web",
      text: "├ ƒ /orders/[number]",
    });
  });

  it("reads which packages failed from turbo's summary", () => {
    expect(buildEvent("Failed:    @fishtag/relay#build, store-web#build")).toEqual({
      type: "failed",
      tasks: ["@fishtag/relay", "store-web"],
    });
  });

  it("ignores turbo's own chatter", () => {
    expect(buildEvent("   • Running build in 9 packages")).toBeUndefined();
    expect(buildEvent(" Tasks:    6 successful, 6 total")).toBeUndefined();
  });
});
