import { describe, expect, it } from "vitest";

import { generateServiceKeyPair, parsePublicKey, parseSigningKey } from "./keys.js";
import { refusedAuthorizations, testKeyPair } from "./testing.js";
import { createReplayGuard, serviceAuthorization, signServiceToken, verifyServiceAuthorization } from "./tokens.js";

const store = testKeyPair();
const call = { method: "POST", url: "http://warehouse.test/api/orders" } as const;
const signs = { key: store.signingKey, issuer: "store-web", audience: "warehouse-api", ...call } as const;
const expects = { key: store.publicKey, issuer: "store-web", audience: "warehouse-api", request: call } as const;

describe("service tokens", () => {
  it("accepts a fresh token from the expected caller, with its claims", async () => {
    const result = await verifyServiceAuthorization(await serviceAuthorization(signs), expects);
    expect(result).toMatchObject({
      ok: true,
      claims: { iss: "store-web", aud: "warehouse-api", jti: expect.any(String), htm: "POST", htu: "http://warehouse.test/api/orders" },
    });
    if (result.ok) expect(result.claims.exp - result.claims.iat).toBe(60);
  });

  it("puts a new jti on every token", async () => {
    const [a = "", b = ""] = await Promise.all([1, 2].map(() => signServiceToken(signs)));
    expect(a).not.toBe(b);
  });

  it("accepts a token issued a few seconds in the future (clock skew within tolerance)", async () => {
    const token = await signServiceToken({ ...signs, now: Math.floor(Date.now() / 1000) + 3 });
    expect((await verifyServiceAuthorization(`Bearer ${token}`, expects)).ok).toBe(true);
  });

  it("refuses every call when no public key is configured", async () => {
    const header = await serviceAuthorization(signs);
    expect(await verifyServiceAuthorization(header, { ...expects, key: undefined })).toEqual({ ok: false, reason: "not_configured" });
  });

  it("binds a token to its call by method and path, not by how the callee is reached", async () => {
    const verify = async (signed: { method: string; url: string }, request: { method: string; url: string }) =>
      verifyServiceAuthorization(await serviceAuthorization({ ...signs, ...signed }), { ...expects, request });

    // The query is no part of it (RFC 9449); the host and scheme change behind proxies and container networks.
    expect(await verify({ method: "post", url: "http://warehouse:9000/api/orders?x=1" }, call)).toMatchObject({ ok: true });
    expect(await verify({ method: "POST", url: "https://gateway.example/api/orders" }, call)).toMatchObject({ ok: true });
    // A base path the caller sends through and a proxy strips on the way in.
    expect(await verify({ method: "POST", url: "http://gateway/warehouse/api/orders" }, call)).toMatchObject({ ok: true });

    expect(await verify({ method: "GET", url: call.url }, call)).toEqual({ ok: false, reason: "wrong_method" });
    expect(await verify({ method: "POST", url: "http://warehouse.test/api/orders/1/transitions" }, call)).toEqual({
      ok: false,
      reason: "wrong_url",
    });
    expect(await verify({ method: "POST", url: "http://warehouse.test/xapi/orders" }, call)).toEqual({ ok: false, reason: "wrong_url" });
    expect(await verify(call, { method: "POST", url: "http://warehouse.test/api/orders/1/transitions" })).toEqual({
      ok: false,
      reason: "wrong_url",
    });
  });

  it("names the reason for each refused token", async () => {
    const cases = await refusedAuthorizations({ caller: store, issuer: "store-web", audience: "warehouse-api", ...call });
    const reasons = Object.fromEntries(
      await Promise.all(
        cases.map(async ([name, header]) => {
          const result = await verifyServiceAuthorization(header, expects);
          return [name, result.ok ? "accepted" : result.reason] as const;
        }),
      ),
    );
    expect(reasons).toEqual({
      "no Authorization header": "missing",
      "an empty Authorization header": "missing",
      "a scheme other than Bearer": "not_bearer",
      "a bare token without the Bearer scheme": "not_bearer",
      "garbage after Bearer": "malformed",
      "three dots of garbage": "malformed",
      "alg: none": "algorithm_not_allowed",
      "HS256 signed with the public key's bytes": "algorithm_not_allowed",
      "a signature over other claims": "bad_signature",
      "signed by another key pair": "bad_signature",
      "the wrong audience": "wrong_audience",
      "an audience list that names the callee among others": "wrong_audience",
      "the wrong issuer (the callee's own name)": "wrong_issuer",
      expired: "expired",
      "not yet valid (issued in the future)": "not_yet_valid",
      "valid for longer than a minute": "lifetime_too_long",
      "signed for another method": "wrong_method",
      "signed for another path": "wrong_url",
      "not bound to a call (no htm or htu)": "missing_claim",
    });
  });
});

describe("replayed tokens", () => {
  const sign = (now?: number) => serviceAuthorization({ ...signs, ...(now ? { now } : {}) });

  it("accepts a token once: the same token again is refused while it is valid, a new one is not", async () => {
    const replay = createReplayGuard();
    const header = await sign();
    expect((await verifyServiceAuthorization(header, { ...expects, replay })).ok).toBe(true);
    expect(await verifyServiceAuthorization(header, { ...expects, replay })).toEqual({ ok: false, reason: "replayed" });
    expect((await verifyServiceAuthorization(await sign(), { ...expects, replay })).ok).toBe(true);
  });

  it("lets a guard that fails (its database gone) fail the check, rather than refuse the token as malformed", async () => {
    const broken = { firstUse: () => Promise.reject(new Error("connection terminated")) };
    await expect(verifyServiceAuthorization(await sign(), { ...expects, replay: broken })).rejects.toThrow("connection terminated");
  });

  it("remembers only tokens that passed every other check", async () => {
    const replay = createReplayGuard();
    const header = await sign();
    expect(await verifyServiceAuthorization(header, { ...expects, audience: "store-web", replay })).toMatchObject({
      ok: false,
      reason: "wrong_audience",
    });
    expect((await verifyServiceAuthorization(header, { ...expects, replay })).ok).toBe(true);
  });

  it("forgets a token once it has expired, so it does not grow without bound", async () => {
    const replay = createReplayGuard();
    const issuedAt = Math.floor(Date.now() / 1000);
    await verifyServiceAuthorization(await sign(issuedAt), { ...expects, replay });
    expect(replay.size).toBe(1);
    // Past its expiry and the clock tolerance, the next check lets go of it (that token would be refused as expired anyway).
    const later = new Date((issuedAt + 60 + 6) * 1000);
    expect((await verifyServiceAuthorization(await sign(issuedAt + 66), { ...expects, replay, currentDate: later })).ok).toBe(true);
    expect(replay.size).toBe(1);
  });
});

describe("service keys from the environment", () => {
  const pair = generateServiceKeyPair();

  it("reads base64 PEMs, and plain PEMs", () => {
    expect(parseSigningKey(pair.signingKey).ok).toBe(true);
    expect(parsePublicKey(pair.publicKey).ok).toBe(true);
    expect(parsePublicKey(Buffer.from(pair.publicKey, "base64").toString("utf8")).ok).toBe(true);
  });

  it("refuses the halves swapped, junk and other key types, without echoing the value", () => {
    const brokenEc = Buffer.from("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n").toString(
      "base64",
    );
    for (const [parse, value] of [
      [parsePublicKey, pair.signingKey],
      [parseSigningKey, pair.publicKey],
      [parseSigningKey, "not a key"],
      [parsePublicKey, brokenEc],
    ] as const) {
      const result = parse(value);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problem).not.toContain(value.slice(0, 20));
    }
  });
});
