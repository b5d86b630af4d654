/**
 * A W3C `traceparent` for one staff action (https://www.w3.org/TR/trace-context/#traceparent-header), so
 * that the click, the warehouse's route, the status event's relay and the store applying it are one trace
 * begun in the browser (issue 11). No OpenTelemetry SDK here: the dashboard records no span of its own, it
 * only names the trace and the parent. The warehouse's span is then the first one a backend receives; its
 * parent (the click) never arrives, which trace viewers and the dashboard's waterfall show as a root.
 */

const TRACE_ID_BYTES = 16;
const PARENT_ID_BYTES = 8;
/** Version 00 is the only one the spec defines; flags 01: sampled, so the warehouse records the action. */
const VERSION = "00";
const SAMPLED = "01";

/** Fills the array with random bytes: crypto.getRandomValues, or a test's stand-in. */
export type FillRandom = (bytes: Uint8Array<ArrayBuffer>) => unknown;

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

/**
 * Random bytes that are not all zero: the spec makes an all-zero trace id or parent id invalid, and a
 * receiver would drop the header and start a trace of its own. At 2^-64 odds it will not happen, but a
 * broken random source should not produce a header the warehouse ignores.
 */
function nonZeroBytes(length: number, fill: FillRandom): string {
  for (;;) {
    const bytes = new Uint8Array(length);
    fill(bytes);
    if (bytes.some((byte) => byte !== 0)) return hex(bytes);
  }
}

/**
 * A fresh `traceparent`: version 00, a random trace id and parent id, sampled. getRandomValues rather than
 * randomUUID: it also exists outside secure contexts (a tablet on plain http on the warehouse LAN).
 */
export function newTraceparent(fill: FillRandom = (bytes) => crypto.getRandomValues(bytes)): string {
  return `${VERSION}-${nonZeroBytes(TRACE_ID_BYTES, fill)}-${nonZeroBytes(PARENT_ID_BYTES, fill)}-${SAMPLED}`;
}
