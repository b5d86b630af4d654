import { describe, expect, it } from "vitest";

import { CORRELATION_ID_MAX_LENGTH, resolveCorrelationId } from "./correlation.js";

describe("resolveCorrelationId", () => {
  it.each(["abc", "order-42", "a.b_c:d-e", "A".repeat(CORRELATION_ID_MAX_LENGTH), crypto.randomUUID()])(
    "keeps a valid inbound ID: %s",
    (inbound) => {
      expect(resolveCorrelationId(inbound)).toEqual({ id: inbound });
    },
  );

  it("mints a UUID when none was sent", () => {
    const { id, replaced } = resolveCorrelationId(null);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced).toBeUndefined();
  });

  it.each([
    ["empty", ""],
    ["too long", "A".repeat(CORRELATION_ID_MAX_LENGTH + 1)],
    ["CR/LF", "abc\r\ninjected"],
    ["spaces", "a b"],
    ["ANSI escape", "\u001b[31mred"],
    ["quotes", 'a"b'],
    ["unicode", "ïd"],
  ])("replaces an invalid ID (%s) and reports only its length", (_, inbound) => {
    const resolved = resolveCorrelationId(inbound);
    expect(resolved.id).not.toBe(inbound);
    expect(resolved.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(resolved.replaced).toEqual({ length: inbound.length });
  });
});
