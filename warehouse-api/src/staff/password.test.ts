import { describe, expect, it } from "vitest";

import { passwordCheckSlots } from "./password.js";

describe("password check slots", () => {
  it("runs at most `atOnce` checks at the same time, refusing the next at once", () => {
    const slots = passwordCheckSlots({ atOnce: 2, share: 1, burstMs: 1000 }, () => 0);
    const [first, second] = [slots.take(), slots.take()];

    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(slots.take()).toBeUndefined();
    first?.();
    first?.(); // giving a slot back twice frees one slot, not two
    expect(slots.take()).toBeDefined();
    expect(slots.take()).toBeUndefined();
  });

  it("under a sustained flood, checks for no more than its share of the time after the burst", () => {
    let clock = 0;
    const budget = { atOnce: 1, share: 0.25, burstMs: 500 };
    const slots = passwordCheckSlots(budget, () => clock);
    const checkMs = 100;
    let checking = 0;
    // A sign-in every millisecond for a minute; each one let in checks for 100 ms.
    while (clock < 60_000) {
      const release = slots.take();
      if (release) {
        clock += checkMs;
        checking += checkMs;
        release();
      } else clock += 1;
    }

    expect(checking).toBeGreaterThan(budget.share * clock);
    // Past the burst, a quarter of the time, give or take the one check that overdraws.
    expect(checking).toBeLessThanOrEqual(budget.burstMs + budget.share * clock + checkMs);
  });

  it("tells a refused client to come back when the budget has room again, not sooner", () => {
    let clock = 0;
    const slots = passwordCheckSlots({ atOnce: 1, share: 0.25, burstMs: 1000 }, () => clock);
    // A check that took 3 s (a busy machine) spends 3 s of a 1 s bucket that refilled 0.75 s meanwhile:
    // 1.25 s below empty, 5 s to refill at a quarter.
    const release = slots.take();
    expect(slots.retryAfterSeconds()).toBe(1);
    clock += 3000;
    release?.();
    expect(slots.take()).toBeUndefined();
    expect(slots.retryAfterSeconds()).toBe(5);
    clock += 4000;
    expect(slots.take()).toBeUndefined();
    expect(slots.retryAfterSeconds()).toBe(1);
    clock += 1001;
    expect(slots.take()).toBeDefined();
  });
});
