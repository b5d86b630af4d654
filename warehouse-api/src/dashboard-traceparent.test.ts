// The dashboard starts each staff action's trace (dashboard/src/traceparent.ts): its header has to be one
// the warehouse accepts and continues (tracing.test.ts shows it does), or the click and the transition
// would be two traces.
import { describe, expect, it } from "vitest";

import { newTraceparent, type FillRandom } from "../dashboard/src/traceparent.js";

// https://www.w3.org/TR/trace-context/#traceparent-header-field-values
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe("the dashboard's traceparent", () => {
  it("is version 00, a 16-byte trace id, an 8-byte parent id and the sampled flag, in lowercase hex", () => {
    for (let i = 0; i < 100; i++) expect(newTraceparent()).toMatch(TRACEPARENT);
  });

  it("is new for every action: no trace id or parent id comes twice", () => {
    const headers = Array.from({ length: 1000 }, () => newTraceparent());
    const parts = headers.map((header) => TRACEPARENT.exec(header) ?? []);
    expect(new Set(parts.map(([, traceId]) => traceId)).size).toBe(1000);
    expect(new Set(parts.map(([, , parentId]) => parentId)).size).toBe(1000);
  });

  it("takes its bytes from the random source, and never sends an all-zero id, which the spec makes invalid", () => {
    // A source that gives zeros for its first two fills, then counts up: both ids are drawn again.
    let fills = 0;
    const zerosFirst: FillRandom = (bytes) => {
      fills++;
      if (fills > 2) bytes.forEach((_, index) => (bytes[index] = index + 1));
    };
    expect(newTraceparent(zerosFirst)).toBe("00-0102030405060708090a0b0c0d0e0f10-0102030405060708-01");
    expect(fills).toBe(4);
  });
});
