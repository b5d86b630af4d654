import { hrTimeToMilliseconds } from "@opentelemetry/core";
import { describe, expect, it } from "vitest";

import { spanTimeNow, spanTimeNowMillis } from "./clock.js";

describe("the span clock", () => {
  it("tells wall-clock time, as log lines and the other service's spans have it, and never goes backwards between calls", () => {
    // Between the wall clock's readings on either side, give or take Date.now()'s rounding and the anchor's
    // 2 ms tolerance (bracketed, so a busy machine pausing this test between two calls cannot fail it).
    for (const read of [() => hrTimeToMilliseconds(spanTimeNow()), spanTimeNowMillis]) {
      const before = Date.now();
      const now = read();
      const after = Date.now();
      expect(now).toBeGreaterThanOrEqual(before - 3);
      expect(now).toBeLessThanOrEqual(after + 3);
    }
    let last = hrTimeToMilliseconds(spanTimeNow());
    for (let i = 0; i < 10_000; i++) {
      const now = hrTimeToMilliseconds(spanTimeNow());
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
  });
});
