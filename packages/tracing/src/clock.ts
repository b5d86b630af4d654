import type { HrTime } from "@opentelemetry/api";
import { addHrTimes, millisToHrTime } from "@opentelemetry/core";

// The clock spans are timed on: the monotonic clock, below the millisecond, anchored to the wall clock.
// Date.now() alone is whole milliseconds, too coarse to order a request's steps; the monotonic clock alone
// stands still while a machine sleeps and ignores clock steps, so over a process's life it would drift
// away from the log lines' times and from the other service's spans. The anchor (wall minus monotonic) is
// checked every second and moved only when the wall clock has really moved away from it: moving it for
// Date.now()'s own rounding would shuffle spans a millisecond apart.
const RECHECK_MS = 1000;
const TOLERANCE_MS = 2;

let anchorMs = Date.now() - performance.now();
let anchor: HrTime = millisToHrTime(anchorMs);
let checkedAt = performance.now();

function monotonicNow(): number {
  const now = performance.now();
  if (now - checkedAt >= RECHECK_MS) {
    checkedAt = now;
    const wallMinusMonotonic = Date.now() - now;
    if (Math.abs(wallMinusMonotonic - anchorMs) > TOLERANCE_MS) {
      anchorMs = wallMinusMonotonic;
      anchor = millisToHrTime(anchorMs);
    }
  }
  return now;
}

/** Now, as a span time. */
export function spanTimeNow(): HrTime {
  return addHrTimes(anchor, millisToHrTime(monotonicNow()));
}

/** Now in epoch milliseconds (below the millisecond), on the same clock: a start time to give a span later. */
export function spanTimeNowMillis(): number {
  const now = monotonicNow();
  return anchorMs + now;
}
