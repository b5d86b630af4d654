/**
 * The fish tag itself: one ID per request, carried in `X-Correlation-Id` from the browser through the
 * Store to the Warehouse, and stamped on every log line either service writes for that request.
 *
 * This module has no Node-only imports so that Next's proxy can use it too.
 */

export const CORRELATION_HEADER = "x-correlation-id";

export const CORRELATION_ID_MAX_LENGTH = 128;

// A conservative charset: safe in a header, a log line and a URL without escaping. A client that sends
// anything else gets a fresh ID rather than an error, because tracing must never be the reason a
// request fails.
const CORRELATION_ID_PATTERN = new RegExp(`^[A-Za-z0-9._:-]{1,${CORRELATION_ID_MAX_LENGTH}}$`);

export function isValidCorrelationId(value: string): boolean {
  return CORRELATION_ID_PATTERN.test(value);
}

export type ResolvedCorrelationId = {
  id: string;
  /**
   * Set when the caller sent an ID we refused. Only its length is kept: the raw value is untrusted and
   * must never reach a log line (CR/LF or ANSI escapes would forge or garble lines).
   */
  replaced?: { length: number };
};

/** Accepts a valid inbound ID, otherwise mints a new one. Never throws. */
export function resolveCorrelationId(inbound: string | null | undefined): ResolvedCorrelationId {
  if (inbound === null || inbound === undefined) return { id: crypto.randomUUID() };
  if (isValidCorrelationId(inbound)) return { id: inbound };
  return { id: crypto.randomUUID(), replaced: { length: inbound.length } };
}
