import fc from "fast-check";
import { NextRequest } from "next/server";
import { expect } from "vitest";

import { CORRELATION_HEADER, isValidCorrelationId } from "@fishtag/tracing/correlation";

// Generators and checks for src/fuzz.test.ts. (The warehouse has its own: the services share no code.)

const BREAKERS = [
  "\r\n",
  "\u0000",
  "\u001b[31m",
  "\u001b]8;;http://evil/\u0007",
  '"}',
  "\\",
  '","level":"fatal","msg":"forged',
  "\u2028",
  "ïd",
  "🐟",
  "\ud800",
  "%0d%0a",
  "<img src=x>",
  " ",
] as const;

const big = fc
  .tuple(fc.constantFrom("z", "ü", "\u001b", "🐟"), fc.integer({ min: 129, max: 10_240 }))
  .map(([unit, count]) => unit.repeat(count));

/** Junk text for form fields, header values, route parameters and bodies. */
export const junk: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.constantFrom(...BREAKERS) },
  { weight: 1, arbitrary: big },
);

/**
 * An X-Correlation-Id the store must refuse. All but the empty one embed a random UUID (`tag`) that
 * nothing else generates: any copy of the value in the log, raw, escaped or trimmed, would show it.
 */
export type HostileId = { value: string; tag: string | undefined };

const tag = fc.noBias(fc.uuid());

export const hostileId: fc.Arbitrary<HostileId> = fc.oneof(
  fc.constant({ value: "", tag: undefined }),
  fc
    .tuple(
      tag,
      fc.oneof(
        fc.constantFrom(...BREAKERS),
        fc.string({ unit: "binary", minLength: 1, maxLength: 12 }).filter((text) => /[^A-Za-z0-9._:-]/.test(text)),
      ),
    )
    .map(([id, bad]) => ({ value: `${bad}${id}${bad}`, tag: id })),
  tag.map((id) => ({ value: id.padEnd(129, "9"), tag: id })),
  fc.tuple(tag, big).map(([id, text]) => ({ value: id + text, tag: id })),
);

/** Missing, valid or (mostly) hostile. */
export const inboundId: fc.Arbitrary<string | HostileId | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/) },
  { weight: 4, arbitrary: hostileId },
);

function legalHeaderValue(value: string): boolean {
  try {
    new Headers({ probe: value });
    return true;
  } catch {
    return false;
  }
}

/** `seen`: the ID as the proxy reads it (Headers trims whitespace, CR and LF at either end). */
export type Inbound = { request: NextRequest; seen: string | undefined; hostile: HostileId | undefined };

/**
 * A request as it reaches proxy.ts. A correlation ID that Headers refuses (CR, LF, NUL, past U+00FF) is
 * still served to the proxy's `headers.get`, as if a lax server in front had let it through.
 */
export function inbound(
  url: string,
  id: string | HostileId | undefined,
  init: { method?: string; headers?: Record<string, string | undefined> } = {},
): Inbound {
  const value = typeof id === "object" ? id.value : id;
  const headers = new Headers();
  for (const [name, header] of Object.entries(init.headers ?? {}))
    if (header !== undefined && legalHeaderValue(header)) headers.set(name, header);
  if (value !== undefined && legalHeaderValue(value)) headers.set(CORRELATION_HEADER, value);
  const request = new NextRequest(url, { method: init.method ?? "GET", headers });
  if (value !== undefined && !legalHeaderValue(value)) {
    const raw = new Headers(headers);
    const get = raw.get.bind(raw);
    raw.get = (name: string) => (name.toLowerCase() === CORRELATION_HEADER ? value : get(name));
    Object.defineProperty(request, "headers", { value: raw });
  }
  const seen = value === undefined ? undefined : (request.headers.get(CORRELATION_HEADER) ?? undefined);
  return { request, seen, hostile: typeof id === "object" && !isValidCorrelationId(seen ?? "") ? id : undefined };
}

/** The headers Next hands the app after the proxy: the request's, with the proxy's overrides applied. */
export function forwardedHeaders(proxied: Response): Headers {
  const headers = new Headers();
  const names = proxied.headers.get("x-middleware-override-headers")?.split(",") ?? [];
  for (const name of names) {
    const value = proxied.headers.get(`x-middleware-request-${name}`);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Never a 5xx; an error is JSON { error, message, correlationId } with the expected ID: the one the proxy
 * echoed, or for a request it skipped, the caller's if valid, else a fresh UUID.
 */
export async function expectStoreAnswer(response: Response, expected: string | RegExp): Promise<Record<string, unknown>> {
  expect(response.status).toBeLessThan(500);
  // Every API answer echoes the ID in use (jsonRoute sets it: the API is not behind the proxy).
  const echoed = response.headers.get(CORRELATION_HEADER) ?? "";
  if (typeof expected === "string") expect(echoed).toBe(expected);
  else expect(echoed).toMatch(expected);
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status >= 400) {
    for (const field of ["error", "message", "correlationId"]) expect(typeof body[field], field).toBe("string");
    expect(isValidCorrelationId(String(body.correlationId))).toBe(true);
    if (typeof expected === "string") expect(body.correlationId).toBe(expected);
    else expect(body.correlationId).toMatch(expected);
  }
  return body;
}

/** Every line JSON from the store, every ID on it valid, and none of the refused IDs anywhere. */
export function expectCleanStoreLog(contents: string, hostiles: readonly HostileId[]): number {
  const lines = contents.split("\n").filter(Boolean);
  for (const line of lines) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed.service).toBe("store-web");
    if ("correlationId" in parsed) expect(isValidCorrelationId(String(parsed.correlationId))).toBe(true);
  }
  const uuids = new Set(contents.toLowerCase().match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g));
  for (const { value, tag: id } of hostiles) {
    if (id !== undefined) expect(uuids.has(id), `refused correlation ID ${JSON.stringify(value.slice(0, 80))} in the log`).toBe(false);
  }
  return lines.length;
}
