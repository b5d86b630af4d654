import { createHmac, type KeyObject } from "node:crypto";

import { SignJWT } from "jose";

import { generateServiceKeyPair, parsePublicKey, parseSigningKey } from "./keys.js";
import { signServiceToken, targetClaims, type ServiceName, type SignOptions, type TokenTarget } from "./tokens.js";

/** For tests in both services: key pairs, and the tokens a callee must refuse. */

export type TestKeyPair = { signingKey: KeyObject; publicKey: KeyObject; env: { signingKey: string; publicKey: string } };

export function testKeyPair(): TestKeyPair {
  const env = generateServiceKeyPair();
  const signing = parseSigningKey(env.signingKey);
  const pub = parsePublicKey(env.publicKey);
  if (!signing.ok || !pub.ok) throw new Error("generated key pair did not parse");
  return { signingKey: signing.key, publicKey: pub.key, env };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

function unsignedParts(header: object, claims: object): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
}

/**
 * Authorization header values (undefined: no header) that a service must refuse when it expects calls
 * from `issuer` to itself (`audience`), signed by `caller`, on `method` `url` (the call the test then
 * makes with each). Each is one way a token can be wrong.
 */
export async function refusedAuthorizations({
  caller,
  issuer,
  audience,
  method,
  url,
}: {
  caller: TestKeyPair;
  issuer: ServiceName;
  audience: ServiceName;
} & TokenTarget): Promise<[string, string | undefined][]> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, aud: audience, iat: now, exp: now + 60, jti: "test-jti", ...targetClaims({ method, url }) };
  const sign = (overrides: Partial<SignOptions> = {}) =>
    signServiceToken({ key: caller.signingKey, issuer, audience, method, url, ...overrides });
  // Signed by the caller with the claims given as they are: shapes signServiceToken never makes.
  const signClaims = (payload: Record<string, unknown>) =>
    new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", typ: "JWT" }).sign(caller.signingKey);
  const good = await sign();

  // HS256 keyed with the public key's PEM bytes: the classic confusion attack on verifiers that take
  // the algorithm from the token.
  const publicPem = caller.publicKey.export({ type: "spki", format: "pem" });
  const hsInput = unsignedParts({ alg: "HS256", typ: "JWT" }, claims);
  const hs256 = `${hsInput}.${createHmac("sha256", publicPem).update(hsInput).digest("base64url")}`;
  // A valid signature over changed claims: the signature no longer matches.
  const [header = "", , signature = ""] = good.split(".");
  const tampered = `${header}.${base64url(JSON.stringify({ ...claims, aud: audience, jti: "tampered" }))}.${signature}`;
  const other = testKeyPair();
  const { htm, htu, ...unbound } = claims;

  return [
    ["no Authorization header", undefined],
    ["an empty Authorization header", ""],
    ["a scheme other than Bearer", `Basic ${base64url("store:secret")}`],
    ["a bare token without the Bearer scheme", good],
    ["garbage after Bearer", "Bearer not-a-token"],
    ["three dots of garbage", "Bearer a.b.c"],
    ["alg: none", `Bearer ${unsignedParts({ alg: "none", typ: "JWT" }, claims)}.`],
    ["HS256 signed with the public key's bytes", `Bearer ${hs256}`],
    ["a signature over other claims", `Bearer ${tampered}`],
    ["signed by another key pair", `Bearer ${await signServiceToken({ key: other.signingKey, issuer, audience, method, url })}`],
    ["the wrong audience", `Bearer ${await sign({ audience: issuer })}`],
    ["an audience list that names the callee among others", `Bearer ${await signClaims({ ...claims, aud: [audience, issuer] })}`],
    ["the wrong issuer (the callee's own name)", `Bearer ${await sign({ issuer: audience })}`],
    ["expired", `Bearer ${await sign({ now: now - 120 })}`],
    ["not yet valid (issued in the future)", `Bearer ${await sign({ now: now + 120 })}`],
    ["valid for longer than a minute", `Bearer ${await sign({ lifetimeSeconds: 3600 })}`],
    ["signed for another method", `Bearer ${await sign({ method: htm === "DELETE" ? "PUT" : "DELETE" })}`],
    ["signed for another path", `Bearer ${await sign({ url: new URL("elsewhere", htu.endsWith("/") ? htu : `${htu}/`).href })}`],
    ["not bound to a call (no htm or htu)", `Bearer ${await signClaims(unbound)}`],
  ];
}
