import { NEXT_STATUSES } from "../../src/orders/lifecycle";
import type { OrderStatus } from "./api";

// lifecycle.ts lists every status in the table's order and is all the browser needs: importing the
// status list from db/schema.ts would bundle drizzle's table builders just to read six strings.
export const STATUSES = Object.keys(NEXT_STATUSES) as OrderStatus[];

export const STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  received: "Received",
  picking: "Picking",
  packed: "Packed",
  shipped: "Shipped",
  cancelled: "Cancelled",
  rejected: "Rejected",
};

export { NEXT_STATUSES };

// The same formatter the Store uses for prices, so both show a total the same way.
const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
export const formatMoney = (cents: number) => money.format(cents / 100);

// In the reader's own time zone, named ("1 Dec 2026, 15:04:05 GMT+1"), as the Store's LocalTime shows
// times: staff in two places (or on a laptop set to UTC) then read the same moment the same way. Fields,
// not dateStyle/timeStyle: those two cannot be combined with timeZoneName.
const dateTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZoneName: "short",
});
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));

const regions = new Intl.DisplayNames(["en-GB"], { type: "region", fallback: "code" });

/** "United Kingdom" for GB: orders carry the ISO code, a person reads the name. */
export function countryName(code: string): string {
  try {
    return regions.of(code) ?? code;
  } catch {
    return code; // not a well-formed region code: show what the order says
  }
}

const relative = new Intl.RelativeTimeFormat("en-GB", { style: "short", numeric: "auto" });

/** "just now", "3 min ago", "2 hr ago", "yesterday": the age staff sort their work by. */
export function formatAge(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relative.format(-hours, "hour");
  return relative.format(-Math.round(hours / 24), "day");
}

/**
 * Order ids are UUIDv7: the leading digits are a timestamp that orders placed in the same minute share,
 * so the distinguishing short form is the random tail.
 */
export const shortId = (id: string) => `…${id.slice(-8)}`;

/** What staff call an order: the store's number, which its customer quotes (older orders have only an id). */
export const orderTitle = (order: { id: string; storeOrderNumber: string | null }) => order.storeOrderNumber ?? shortId(order.id);

export const itemCount = (lines: readonly { quantity: number }[]) => lines.reduce((sum, line) => sum + line.quantity, 0);
