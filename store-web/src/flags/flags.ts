import { parseFlags, serialiseFlags, type Flag } from "@fishtag/tracing/flags";

/**
 * Which flags a customer gets, decided at the store's edge (proxy.ts) for every page and action request,
 * and nowhere else: a client's own `baggage` decides nothing (observability/http-server.ts drops its flags).
 *
 * Each flag goes to a fixed share of customers by a hash of the customer cookie's id, so the same customer
 * always gets the same flags, in every process and after every restart, with nothing stored. In development
 * only, `?flags=priority-lane` (or `?flags=none`) overrides that and is kept in a cookie for the requests
 * that follow (the checkout's action among them); `?flags=` clears the override.
 */

/** The flags the proxy decided for this request, forwarded to the app on the request (never a client's). */
export const FLAGS_HEADER = "x-fishtag-flags";

/** Development's override: the query parameter that sets it, and the cookie that keeps it. */
export const FLAGS_QUERY = "flags";
export const FLAGS_COOKIE = "fishtag_flags";

/** The share of customers, in percent, that each flag goes to. */
export const ROLLOUT_PERCENT: Record<Flag, number> = { "priority-lane": 50 };

/**
 * A customer's bucket for a flag, 0 to 99: 32-bit FNV-1a of `<flag>:<customer id>`, modulo 100. Each flag
 * hashes its own name in, so two flags split the customers independently of each other.
 */
export function bucketOf(flag: Flag, customerId: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${flag}:${customerId}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}

export function flagsForCustomer(customerId: string): Flag[] {
  return (Object.keys(ROLLOUT_PERCENT) as Flag[]).filter((flag) => bucketOf(flag, customerId) < ROLLOUT_PERCENT[flag]);
}

/**
 * An override as typed in a URL or kept in the cookie: `none`, or flag names in the baggage entry's format.
 * In a query string `+` arrives as a space, so spaces separate names too. Empty or malformed: no override.
 */
export function parseOverride(value: string): Flag[] | undefined {
  // Empty is how `?flags=` clears an override, so it is none rather than "no flags".
  if (value.trim() === "") return undefined;
  if (value === "none") return [];
  const parsed = parseFlags(value.trim().replace(/ +/g, "+"));
  return parsed.malformed ? undefined : parsed.flags;
}

export type FlagDecision = { flags: Flag[]; overridden: boolean };

/** The flags for one request: the customer's, unless development allows an override and one is set. */
export function decideFlags(input: { customerId: string; override: string | undefined; development: boolean }): FlagDecision {
  const override = input.development && input.override !== undefined ? parseOverride(input.override) : undefined;
  return override ? { flags: override, overridden: true } : { flags: flagsForCustomer(input.customerId), overridden: false };
}

/** The override cookie, as development sets it (a session cookie: an override is for the sitting at hand). */
export function overrideCookie(flags: readonly Flag[]) {
  return { name: FLAGS_COOKIE, value: serialiseFlags(flags) || "none", httpOnly: true, sameSite: "lax", path: "/" } as const;
}
