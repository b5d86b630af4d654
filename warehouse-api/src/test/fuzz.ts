import fc from "fast-check";
import { expect } from "vitest";

import { CORRELATION_HEADER, isValidCorrelationId } from "@fishtag/tracing/correlation";

// Generators and checks for src/fuzz.test.ts: hostile header values, junk strings and bodies, and the
// transport that gets values onto a Request that the Headers class would refuse.

/** Text that breaks things: control characters, JSON and log syntax, unicode, percent-encodings. */
export const NASTY = [
  "\r\n",
  "\n",
  "\r",
  "\u0000",
  "\u001b[31m",
  "\u001b]0;pwned\u0007",
  '"',
  "\\",
  '","level":"fatal","msg":"forged',
  "\u2028",
  "ïd",
  "🐟",
  "\ud800",
  " ",
  "\t",
  "%0d%0a",
  "%zz",
  "%00",
  "<script>",
  "${jndi:ldap://x}",
  "../..",
  "null",
  "-1",
  "1e309",
] as const;

const longText = fc
  .tuple(fc.constantFrom("a", "é", "\u001b", "🐟", '"'), fc.integer({ min: 200, max: 10_240 }))
  .map(([unit, length]) => unit.repeat(length));

/** Any junk string, short most of the time. */
export const junk: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...NASTY), { minLength: 2, maxLength: 6 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: longText },
);

/**
 * W3C trace headers as a hostile caller sends them: near-valid traceparents (wrong version, all-zero or
 * short ids, bad flags, extra parts), baggage with malformed, oversized or very many entries, and junk.
 */
const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF".split("")), minLength: length, maxLength: length });
export const traceparent: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom("00", "ff", "01", "0", "zz"), hex(32), hex(16), fc.constantFrom("01", "00", "ff", "1", ""))
    .map((parts) => parts.join("-")),
  fc.constantFrom(
    `00-${"0".repeat(32)}-${"1".repeat(16)}-01`,
    `00-${"1".repeat(32)}-${"0".repeat(16)}-01`,
    `00-${"a".repeat(32)}-${"b".repeat(16)}-01-extra`,
    `00-${"a".repeat(31)}-${"b".repeat(16)}-01`,
  ),
  junk,
);
export const baggage: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.tuple(junk, junk).map(([key, value]) => `${key}=${value}`),
      { maxLength: 8 },
    )
    .map((entries) => entries.join(",")),
  fc.integer({ min: 100, max: 400 }).map((count) => Array.from({ length: count }, (_, index) => `k${String(index)}=v`).join(",")),
  fc.constantFrom("fishtag.correlation_id=%0A%1B[31m", "=,=;=", ";;;", "k=v;prop=%ZZ", `k=${"v".repeat(9000)}`),
  junk,
);

const CORRELATION_CHARS = /^[A-Za-z0-9._:-]{1,128}$/;

export const validCorrelationId = fc.stringMatching(CORRELATION_CHARS);

/**
 * A correlation ID the services must refuse. All but the empty one carry a random UUID (`marker`), so the
 * log check can tell that no part of it was written anywhere, without mistaking other text for it.
 */
export type Hostile = { value: string; marker: string | undefined };

const marker = fc.noBias(fc.uuid());
const badPart = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: "binary", minLength: 1, maxLength: 20 }).filter((part) => /[^A-Za-z0-9._:-]/.test(part)),
);

export const hostileCorrelationId: fc.Arbitrary<Hostile> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ value: "", marker: undefined }) },
  {
    weight: 6,
    arbitrary: fc.tuple(marker, badPart, fc.boolean()).map(([id, bad, before]) => ({ value: before ? bad + id : id + bad, marker: id })),
  },
  // Too long, but every character allowed.
  { weight: 1, arbitrary: marker.map((id) => ({ value: id + "x".repeat(128 - id.length + 1), marker: id })) },
  // 10 KB and more.
  { weight: 1, arbitrary: fc.tuple(marker, longText).map(([id, text]) => ({ value: id + text, marker: id })) },
);

/** No header, a valid ID, or (most often) a hostile one. */
export const inboundCorrelationId: fc.Arbitrary<string | Hostile | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: validCorrelationId },
  { weight: 3, arbitrary: hostileCorrelationId },
);

/** A path segment: junk, percent-encoded or not (what the URL parser makes of it is the test). */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  junk.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "?"))),
  junk.map((text) => text.replace(/[?#/]/g, "")),
  fc.uuid(),
  fc.constantFrom("%", "%2", "%zz", "%c3%28", "%ed%a0%80", "%2e%2e", "..", ".", "%2F", "%00", "%0d%0a"),
);

export const body = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: junk },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((depth) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth)) },
  { weight: 1, arbitrary: fc.constantFrom("", "{", "null", "[]", '{"__proto__":{"polluted":1}}', "\ufeff{}", "{}".repeat(40_000)) },
);

export const anyContentType = fc.option(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=utf-16",
    "APPLICATION/JSON",
    "application/vnd.api+json",
    "text/plain",
    "text/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=x",
    "application/json\u0000",
    "application/json\r\nx-injected: 1",
    "",
    ";;;",
  ),
  { nil: undefined },
);

export const contentLength = fc.option(fc.constantFrom("0", "1", "-1", "abc", "1e9", "99999999999999999999", " 5", "0x10", "65537", ""), {
  nil: undefined,
});

/** JSON most of the time, so that most bodies get past the content-type check to the schema. */
export const contentType = fc.oneof({ weight: 3, arbitrary: fc.constant("application/json") }, { weight: 1, arbitrary: anyContentType });

export type FuzzRequest = {
  method: string;
  path: string;
  correlationId?: string | Hostile | undefined;
  headers?: Record<string, string | undefined>;
  body?: string | Uint8Array | undefined;
};

/** What the app reads back from Headers for `value`, or undefined when Headers would refuse it. */
function throughHeaders(value: string): string | undefined {
  try {
    return new Headers({ probe: value }).get("probe") ?? undefined;
  } catch {
    return undefined;
  }
}

export type Sent = { request: Request; correlationId: string | undefined; hostile: Hostile | undefined };

export function toRequest({ method, path, correlationId, headers = {}, body: payload }: FuzzRequest): Sent {
  const hostile = typeof correlationId === "object" ? correlationId : undefined;
  const all: Record<string, string | undefined> = {
    ...headers,
    [CORRELATION_HEADER]: hostile?.value ?? (typeof correlationId === "string" ? correlationId : undefined),
  };
  const legal = new Headers();
  const raw = new Map<string, string>();
  for (const [name, value] of Object.entries(all)) {
    if (value === undefined) continue;
    if (throughHeaders(value) === undefined) raw.set(name.toLowerCase(), value);
    else legal.set(name, value);
  }
  const hasBody = payload !== undefined && !["GET", "HEAD"].includes(method.toUpperCase());
  const request = new Request(`http://fuzz.test${path}`, { method, headers: legal, ...(hasBody ? { body: payload } : {}) });
  // Headers refuses CR, LF, NUL and anything past U+00FF (Node's HTTP parser refuses the first three too).
  // The app is not meant to lean on that, so such values are still served to it, through a Headers whose
  // get() answers them: as if a lax proxy in front had let them through.
  if (raw.size > 0) {
    const get = legal.get.bind(legal);
    Object.defineProperty(legal, "get", { value: (name: string) => raw.get(name.toLowerCase()) ?? get(name) });
    Object.defineProperty(request, "headers", { value: legal });
  }
  const sentId = all[CORRELATION_HEADER];
  const seen = sentId === undefined ? undefined : raw.has(CORRELATION_HEADER) ? sentId : throughHeaders(sentId);
  return { request, correlationId: seen, hostile };
}

/**
 * The contract every response keeps, whatever came in: no 5xx; a valid X-Correlation-Id, the caller's
 * when it was valid; and for an error, the JSON shape { error, message, correlationId } with that same ID.
 */
export async function expectWellFormed(response: Response, sent: Sent): Promise<void> {
  expect(response.status).toBeLessThan(500);
  const id = response.headers.get(CORRELATION_HEADER) ?? "";
  expect(isValidCorrelationId(id)).toBe(true);
  if (sent.correlationId !== undefined && isValidCorrelationId(sent.correlationId)) expect(id).toBe(sent.correlationId);
  else expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  if (response.status < 400 || sent.request.method === "HEAD") return;
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const errorBody = (await response.json()) as Record<string, unknown>;
  for (const field of ["error", "message"]) expect(typeof errorBody[field], field).toBe("string");
  expect(errorBody.correlationId).toBe(id);
}

/**
 * Every line is JSON from `service`; an ID on a line is a valid one; no refused ID shows in any form. Each
 * hostile ID carries its own random UUID, and any copy of the value (raw, JSON-escaped, cut short or with
 * the bad characters stripped) would carry it too: looking for the UUIDs is looking for all of those.
 */
export function expectCleanLog(contents: string, service: string, hostiles: Iterable<Hostile>): number {
  const lines = contents.split("\n").filter(Boolean);
  for (const line of lines) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed.service).toBe(service);
    if (parsed.msg === "request completed") expect(parsed.correlationId).toEqual(expect.any(String));
    if ("correlationId" in parsed) expect(isValidCorrelationId(String(parsed.correlationId))).toBe(true);
  }
  const logged = new Set(contents.toLowerCase().match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g));
  for (const { value, marker } of hostiles) {
    if (marker !== undefined)
      expect(logged.has(marker), `hostile correlation ID ${JSON.stringify(value.slice(0, 80))} in the log`).toBe(false);
  }
  return lines.length;
}
