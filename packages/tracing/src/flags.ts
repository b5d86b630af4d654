import { context, propagation, ROOT_CONTEXT, trace, type Context } from "@opentelemetry/api";
import { W3CBaggagePropagator } from "@opentelemetry/core";

/**
 * Feature flags that travel with a request: decided once at the store's edge, carried in W3C baggage on
 * every call that request makes (so the warehouse sees them without a field in any body) and back on the
 * status events about its order. Like the correlation ID, they are on every span and log line of the
 * request, so a trace says which variant a customer got.
 *
 * The baggage entry is `fishtag.flags=<flag>[+<flag>...]`: flag names are lower-case letters, digits and
 * inner hyphens, joined with `+`. Every one of those characters is a valid W3C baggage value octet (no
 * comma, semicolon, space, quote or backslash), so the entry needs no escaping; OpenTelemetry's propagator
 * still percent-encodes `+` as `%2B` when it writes the header, and every W3C reader decodes it back.
 */

/** The flags this codebase knows. A name not listed here is ignored wherever it arrives. */
export const FLAGS = ["priority-lane"] as const;

export type Flag = (typeof FLAGS)[number];

/** The W3C baggage entry, and the span attribute, that carry a request's flags. */
export const FLAGS_BAGGAGE = "fishtag.flags";
export const FLAGS_ATTRIBUTE = "fishtag.flags";

export const FLAG_SEPARATOR = "+";

// Generous beside the one flag there is, tight beside a header: a longer entry is not ours.
const MAX_ENTRY_LENGTH = 256;
const FLAG_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_FLAG_LENGTH = 64;

export type ParsedFlags = {
  /** The known flags named, each once, in FLAGS order. */
  flags: Flag[];
  /**
   * Set when the entry was there but not in the format above: it is dropped whole. Only its length is kept,
   * because the raw value came from a caller and must never reach a log line (as for correlation IDs).
   */
  malformed?: { length: number };
};

export function isFlag(name: string): name is Flag {
  return (FLAGS as readonly string[]).includes(name);
}

/** Reads an entry's value. Never throws: a value that is not ours yields no flags. */
export function parseFlags(value: string | undefined): ParsedFlags {
  // Empty is a valid W3C value, and how "no flags" may be written.
  if (value === undefined || value === "") return { flags: [] };
  const names = value.split(FLAG_SEPARATOR);
  const wellFormed = value.length <= MAX_ENTRY_LENGTH && names.every((name) => name.length <= MAX_FLAG_LENGTH && FLAG_NAME.test(name));
  if (!wellFormed) return { flags: [], malformed: { length: value.length } };
  // A flag this build does not know may be one a newer peer sends: ignored, not an error.
  return { flags: FLAGS.filter((flag) => names.includes(flag)) };
}

/** The entry's value for these flags (each once, in FLAGS order); "" for none, which is sent as no entry. */
export function serialiseFlags(flags: readonly Flag[]): string {
  return FLAGS.filter((flag) => flags.includes(flag)).join(FLAG_SEPARATOR);
}

/**
 * The flags entry in a context's baggage, read: for a service's entry, which logs `malformed` (its length
 * only) and then runs the request with the flags found (runWithFlags), so nothing downstream sees a value
 * that was not checked.
 */
export function readFlags(from: Context = context.active()): ParsedFlags {
  return parseFlags(propagation.getBaggage(from)?.getEntry(FLAGS_BAGGAGE)?.value);
}

/** The flags in a context's baggage: none outside a request, and none when the entry is not well-formed. */
export function flagsIn(from: Context = context.active()): Flag[] {
  return readFlags(from).flags;
}

// Each distinct entry read once: every span and log line of a request asks for its flags. Cleared when full,
// so a caller sending a new value each time costs a parse each, never memory.
const valueOfEntry = new Map<string, string>();
const MAX_REMEMBERED = 64;

/**
 * The flags in a context's baggage as spans and log lines carry them: the known ones, in entry form ("" for
 * none, and for an entry that is not well-formed, which never reaches a line raw).
 */
export function flagsValueIn(from: Context = context.active()): string {
  const raw = propagation.getBaggage(from)?.getEntry(FLAGS_BAGGAGE)?.value;
  if (raw === undefined || raw === "") return "";
  let value = valueOfEntry.get(raw);
  if (value === undefined) {
    value = serialiseFlags(parseFlags(raw).flags);
    if (valueOfEntry.size >= MAX_REMEMBERED) valueOfEntry.clear();
    valueOfEntry.set(raw, value);
  }
  return value;
}

/** The active request's flags. */
export function currentFlags(): Flag[] {
  return flagsIn(context.active());
}

/** `from` with exactly these flags in its baggage (the entry removed for none), the rest of the baggage kept. */
export function contextWithFlags(from: Context, flags: readonly Flag[]): Context {
  const value = serialiseFlags(flags);
  const baggage = propagation.getBaggage(from);
  if (value === "") return baggage?.getEntry(FLAGS_BAGGAGE) ? propagation.setBaggage(from, baggage.removeEntry(FLAGS_BAGGAGE)) : from;
  return propagation.setBaggage(from, (baggage ?? propagation.createBaggage()).setEntry(FLAGS_BAGGAGE, { value }));
}

/**
 * Runs `fn` with exactly these flags in scope, whatever the context had before: every call made inside
 * carries them in `baggage` (traceHeaders()), every span begun inside gets the attribute (otel.ts), every log
 * line the field (logger.ts). The span already active gets the attribute too.
 */
export function runWithFlags<T>(flags: readonly Flag[], fn: () => T): T {
  const scoped = contextWithFlags(context.active(), flags);
  const value = serialiseFlags(flags);
  if (value !== "") trace.getSpan(scoped)?.setAttribute(FLAGS_ATTRIBUTE, value);
  return context.with(scoped, fn);
}

const baggageOnly = new W3CBaggagePropagator();

type Carrier = { baggage: string };
const carrierGetter = {
  get: (carrier: Carrier, key: string) => (key === "baggage" ? carrier.baggage : undefined),
  keys: () => ["baggage"],
};

/**
 * The flags in a request's `baggage` header, read on its own (not through the process's propagator), for a
 * handler that trusts them only once it has checked who sent the request.
 */
export function flagsFromHeaders(headers: Headers): ParsedFlags {
  const baggage = headers.get("baggage");
  if (baggage === null) return { flags: [] };
  const extracted = baggageOnly.extract(ROOT_CONTEXT, { baggage }, carrierGetter);
  return parseFlags(propagation.getBaggage(extracted)?.getEntry(FLAGS_BAGGAGE)?.value);
}
