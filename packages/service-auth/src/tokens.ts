import { randomUUID, webcrypto, type KeyObject } from "node:crypto";

import { errors, jwtVerify, SignJWT } from "jose";

/**
 * Service-to-service authentication (ADR 0006): the caller signs a short-lived JWT with its own Ed25519
 * key and sends it as `Authorization: Bearer <jwt>`; the callee checks it against the caller's public
 * key. Claims: iss = the caller, aud = the callee, iat, exp = iat + 60 s, a random jti, and the call it
 * was made for: htm (the method) and htu (the URL, without query or fragment), as DPoP names them
 * (https://www.rfc-editor.org/rfc/rfc9449#section-4.2). The callee pins the algorithm to EdDSA, so
 * `alg: none` and HS256-signed-with-the-public-key tokens are refused before any signature check
 * (https://datatracker.ietf.org/doc/html/rfc8725#section-2.1).
 */

export type ServiceName = "store-web" | "warehouse-api";

export const TOKEN_LIFETIME_SECONDS = 60;
/** How far apart the two machines' clocks may be. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** The one call a token is good for: its method, and the URL the caller sends it to. */
export type TokenTarget = { method: string; url: string };

export type SignOptions = TokenTarget & {
  key: KeyObject;
  issuer: ServiceName;
  audience: ServiceName;
  /** Epoch seconds; tests sign in the past or the future with it. */
  now?: number;
  /** Tests only: a longer lifetime than the callee accepts. */
  lifetimeSeconds?: number;
};

/** The claims that bind a token to its call: htm, and htu without query or fragment (RFC 9449 leaves them out). */
export function targetClaims({ method, url }: TokenTarget): { htm: string; htu: string } {
  const htu = new URL(url);
  htu.search = "";
  htu.hash = "";
  return { htm: method.toUpperCase(), htu: htu.href };
}

/** A fresh token for one call. Signing costs tens of microseconds, so nothing is cached. */
export function signServiceToken({
  key,
  issuer,
  audience,
  method,
  url,
  now = Math.floor(Date.now() / 1000),
  lifetimeSeconds = TOKEN_LIFETIME_SECONDS,
}: SignOptions): Promise<string> {
  return new SignJWT(targetClaims({ method, url }))
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT" })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .setJti(randomUUID())
    .sign(key);
}

/** The header value for a call: `Bearer <fresh token>`. */
export async function serviceAuthorization(options: SignOptions): Promise<string> {
  return `Bearer ${await signServiceToken(options)}`;
}

/** Why a call was refused: logged as a category, never with the token. */
export type RefusalReason =
  | "not_configured"
  | "missing"
  | "not_bearer"
  | "malformed"
  | "algorithm_not_allowed"
  | "bad_signature"
  | "wrong_issuer"
  | "wrong_audience"
  | "wrong_method"
  | "wrong_url"
  | "missing_claim"
  | "expired"
  | "not_yet_valid"
  | "lifetime_too_long"
  | "replayed";

export type ServiceClaims = { iss: ServiceName; aud: ServiceName; jti: string; iat: number; exp: number; htm: string; htu: string };

export type Verification = { ok: true; claims: ServiceClaims } | { ok: false; reason: RefusalReason };

export type VerifyOptions = {
  /** The caller's public key; without one every call is refused. */
  key: KeyObject | undefined;
  issuer: ServiceName;
  audience: ServiceName;
  /** The call being checked, as the callee received it: the token must have been signed for it. */
  request: TokenTarget;
  /** Refuses a token whose jti was accepted before; without one, a token is good until it expires. */
  replay?: ReplayGuard;
  /** Tests only. */
  currentDate?: Date;
};

/**
 * Remembers the jti of every token accepted until the token can no longer be used, so that one seen once is
 * refused if it comes again: a token captured on the way cannot be replayed within its minute.
 */
export type ReplayGuard = {
  /**
   * True the first time a jti is offered (and from then on remembered), false while it is remembered.
   * `forgetAfter` is when the token can no longer be used (epoch seconds): its exp plus the clock tolerance.
   */
  firstUse: (jti: string, forgetAfter: number, nowSeconds: number) => boolean | Promise<boolean>;
};

/**
 * The guard in memory, per process: enough for one instance of a service. Several instances share one
 * instead (an atomic insert-if-absent in their database: the warehouse's on Postgres). Its size is bounded
 * by the peer's calls in a minute, and only the peer can mint tokens that get this far.
 */
export function createReplayGuard() {
  // jti → when it can be forgotten (epoch seconds). Insertion order is about expiry order, since every
  // token lives a minute: forgetting walks from the oldest and stops at the first still needed.
  const seen = new Map<string, number>();
  return {
    firstUse(jti: string, forgetAfter: number, nowSeconds: number): boolean {
      for (const [old, until] of seen) {
        if (until >= nowSeconds) break;
        seen.delete(old);
      }
      if (seen.has(jti)) return false;
      seen.set(jti, forgetAfter);
      return true;
    },
    /** Tokens remembered now. */
    get size(): number {
      return seen.size;
    },
  };
}

/** Checks an Authorization header value. Never throws for a bad token: the reason comes back as data. */
export async function verifyServiceAuthorization(
  header: string | null | undefined,
  { key, issuer, audience, request, replay, currentDate }: VerifyOptions,
): Promise<Verification> {
  if (!key) return { ok: false, reason: "not_configured" };
  if (!header) return { ok: false, reason: "missing" };
  const token = /^Bearer +(\S+)$/i.exec(header)?.[1];
  if (!token) return { ok: false, reason: "not_bearer" };
  let claims: ServiceClaims;
  try {
    const { payload } = await jwtVerify(token, await verifyingKey(key), {
      algorithms: ["EdDSA"],
      issuer,
      audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: TOKEN_LIFETIME_SECONDS,
      requiredClaims: ["iat", "exp", "jti", "htm", "htu"],
      ...(currentDate ? { currentDate } : {}),
    });
    const { iat, exp, jti, aud, htm, htu } = payload;
    if (iat === undefined || exp === undefined || typeof jti !== "string") return { ok: false, reason: "missing_claim" };
    // jose takes a list that includes this audience; such a token would be good at every service listed.
    if (aud !== audience) return { ok: false, reason: "wrong_audience" };
    // jose checks exp and the token's age; a token minted to live longer than a minute is refused too.
    if (exp - iat > TOKEN_LIFETIME_SECONDS) return { ok: false, reason: "lifetime_too_long" };
    if (typeof htm !== "string" || typeof htu !== "string" || !URL.canParse(htu)) return { ok: false, reason: "malformed" };
    if (htm !== request.method.toUpperCase()) return { ok: false, reason: "wrong_method" };
    if (!sameTarget(new URL(htu).pathname, new URL(request.url).pathname)) return { ok: false, reason: "wrong_url" };
    claims = { iss: issuer, aud: audience, jti, iat, exp, htm, htu };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
  // Last, so that only a token good in every other way is remembered; outside the catch above, so that a
  // guard that fails (its database gone) is the server's error, not a token refused as malformed.
  if (
    replay &&
    !(await replay.firstUse(claims.jti, claims.exp + CLOCK_TOLERANCE_SECONDS, Math.floor((currentDate ?? new Date()).getTime() / 1000)))
  )
    return { ok: false, reason: "replayed" };
  return { ok: true, claims };
}

// jose works with WebCrypto keys and converts a KeyObject on every call, about a seventh of the cost of a
// verification. Each public key is converted once.
const cryptoKeys = new WeakMap<KeyObject, Promise<webcrypto.CryptoKey | KeyObject>>();

function verifyingKey(key: KeyObject): Promise<webcrypto.CryptoKey | KeyObject> {
  let converted = cryptoKeys.get(key);
  if (!converted) {
    // A key WebCrypto cannot take (not Ed25519) is left to jose, which refuses it as it always has.
    converted = webcrypto.subtle
      .importKey("spki", key.export({ type: "spki", format: "der" }), { name: "Ed25519" }, false, ["verify"])
      .catch(() => key);
    cryptoKeys.set(key, converted);
  }
  return converted;
}

/**
 * The token's path against the one the callee was called on. Only the path: the scheme and host a callee
 * sees depend on the way it is reached (a container network, a TLS proxy), and `aud` already names the
 * service. The signed path may be longer at the front by a base path that a proxy strips on the way in
 * (WAREHOUSE_URL=http://gateway/warehouse). Both paths start with "/", so a match ends on a segment
 * boundary: a token passes at another route only if that route's whole path ends the signed one, which
 * no two routes of these services do.
 */
function sameTarget(signedPath: string, calledPath: string): boolean {
  return signedPath.endsWith(calledPath);
}

function reasonOf(error: unknown): RefusalReason {
  if (error instanceof errors.JOSEAlgNotAllowed) return "algorithm_not_allowed";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad_signature";
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return "missing_claim";
    if (error.reason === "invalid") return "malformed";
    if (error.claim === "iss") return "wrong_issuer";
    if (error.claim === "aud") return "wrong_audience";
    if (error.claim === "nbf" || error.claim === "iat") return "not_yet_valid";
  }
  // JWSInvalid, JWTInvalid, JOSENotSupported, a key of the wrong type, ...: not a token this accepts.
  return "malformed";
}
