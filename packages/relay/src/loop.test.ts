import { afterEach, describe, expect, it, vi } from "vitest";

import { backoffMs, createRelayLoop } from "./loop.js";

/** A tick the test finishes by hand, counting how many were started. */
function manualTicks() {
  let started = 0;
  let finish: (() => void) | undefined;
  const tick = () => {
    started += 1;
    return new Promise<{ sent: number }>((resolve) => {
      finish = () => {
        resolve({ sent: 1 });
      };
    });
  };
  return { tick, started: () => started, finish: () => finish?.() };
}

describe("the relay loop", () => {
  it("never runs two ticks at once: a call during a tick gets that tick's result", async () => {
    const ticks = manualTicks();
    const loop = createRelayLoop({ outcomes: ["sent"], tick: ticks.tick, onTickError: () => undefined });

    const first = loop.runOnce();
    const second = loop.runOnce();
    ticks.finish();

    expect(await first).toEqual({ sent: 1 });
    expect(await second).toEqual({ sent: 1 });
    expect(ticks.started()).toBe(1);
  });

  it("stop() waits for the tick in flight, and afterwards no tick starts", async () => {
    const ticks = manualTicks();
    const loop = createRelayLoop({ outcomes: ["sent"], tick: ticks.tick, onTickError: () => undefined });
    void loop.runOnce();

    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    expect(loop.stopping()).toBe(true);

    ticks.finish();
    await stopping;
    expect(await loop.runOnce()).toEqual({ sent: 0 });
    expect(ticks.started()).toBe(1);
  });
});

describe("backoffMs", () => {
  it("doubles its ceiling per failure up to the cap, with full jitter, and is never 0", () => {
    const policy = { baseMs: 1000, capMs: 5000 };
    expect([1, 2, 3, 4, 5].map((failures) => backoffMs(failures, () => 0.999_999, policy))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoffMs(3, () => 0.5, policy)).toBe(2000);
    expect(backoffMs(1, () => 0, policy)).toBe(1);
  });
});

describe("the relay loop's schedule", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("ticks every interval after the last tick ends, survives a failed tick, and stops for good", async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let ticks = 0;
    const loop = createRelayLoop({
      outcomes: ["sent"],
      tick: () => {
        ticks += 1;
        return ticks === 1 ? Promise.reject(new Error("database busy")) : Promise.resolve({ sent: 1 });
      },
      onTickError: (error) => errors.push(error),
    });

    loop.start(1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(ticks).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(ticks).toBe(1);
    expect(errors).toEqual([new Error("database busy")]);

    // The failed tick re-armed the timer: the next one comes an interval later.
    await vi.advanceTimersByTimeAsync(1000);
    expect(ticks).toBe(2);

    await loop.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ticks).toBe(2);
  });
});
