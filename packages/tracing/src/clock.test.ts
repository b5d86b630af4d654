import { hrTimeToMilliseconds } from "@opentelemetry/core";
import { describe, expect, it } from "vitest";

import { spanTimeNow, spanTimeNowMillis } from "./clock.js";

describe("the span clock", () => {
  it("tells wall-clock time, as log lines and the other service's spans have it, and never goes backwards between calls", () => {
    // Within Date.now()'s own rounding and the anchor's tolerance.
    expect(Math.abs(hrTimeToMilliseconds(spanTimeNow()) - Date.now())).toBeLessThan(5);
    expect(Math.abs(spanTimeNowMillis() - Date.now())).toBeLessThan(5);
    let last = hrTimeToMilliseconds(spanTimeNow());
    for (let i = 0; i < 10_000; i++) {
      const now = hrTimeToMilliseconds(spanTimeNow());
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
  });
});
