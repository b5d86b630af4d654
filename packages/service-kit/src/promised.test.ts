import { describe, expect, it } from "vitest";

import { promised } from "./promised.js";

describe("promised", () => {
  it("runs each method at once, in the caller's turn, and hands its result back as a promise", async () => {
    const calls: string[] = [];
    const repo = promised({
      find: (id: string) => {
        calls.push(id);
        return { id };
      },
    });
    const found = repo.find("a");
    // Before the first await: a synchronous database has already answered.
    expect(calls).toEqual(["a"]);
    expect(found).toBeInstanceOf(Promise);
    expect(await found).toEqual({ id: "a" });
  });

  it("turns a method's throw into a rejection, not an exception at the call", async () => {
    const repo = promised({
      fail: (): number => {
        throw new Error("constraint failed");
      },
    });
    let result: Promise<number> | undefined;
    expect(() => (result = repo.fail())).not.toThrow();
    await expect(result).rejects.toThrow("constraint failed");
  });

  it("passes an asynchronous method's promise through (no promise of a promise)", async () => {
    const repo = promised({ later: async (n: number) => Promise.resolve(n * 2) });
    expect(await repo.later(21)).toBe(42);
  });
});
