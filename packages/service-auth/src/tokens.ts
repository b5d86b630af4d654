import { randomUUID, type KeyObject } from "node:crypto";

import { errors, jwtVerify, SignJWT } from "jose";

/**
 * Service-to-service authentication (ADR 0006): the caller signs a short-lived JWT with its own Ed25519
 * key and sends it as `Authorization: Bearer <jwt>`; the callee checks it against the caller's public
 * key. Claims: iss = the caller, aud = the callee, iat, exp = iat + 60 s, and a random jti. The callee
 * pins the algorithm to EdDSA, so `alg: none` and HS256-signed-with-the-public-key tokens are refused
 * before any signature check (https://datatracker.ietf.org/doc/html/rfc8725#section-2.1).
 */

export type ServiceName = "store-web" | "warehouse-api";

export const TOKEN_LIFETIME_SECONDS = 60;
/** How far apart the two machines' clocks may be. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export type SignOptions = {
  key: KeyObject;
  issuer: ServiceName;
  audience: ServiceName;
  /** Epoch seconds; tests sign in the past or the future with it. */
  now?: number;
  /** Tests only: a longer lifetime than the callee accepts. */
  lifetimeSeconds?: number;
};

/** A fresh token for one call. Signing costs tens of microseconds, so nothing is cached. */
export function signServiceToken({
  key,
  issuer,
  audience,
  now = Math.floor(Date.now() / 1000),
  lifetimeSeconds = TOKEN_LIFETIME_SECONDS,
}: SignOptions): Promise<string> {
  return new SignJWT({})
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
  | "missing_claim"
  | "expired"
  | "not_yet_valid"
  | "lifetime_too_long"
  | "replayed";

export type ServiceClaims = { iss: ServiceName; aud: ServiceName; jti: string; iat: number; exp: number };

export type Verification = { ok: true; claims: ServiceClaims } | { ok: false; reason: RefusalReason };

export type VerifyOptions = {
  /** The caller's public key; without one every call is refused. */
  key: KeyObject | undefined;
  issuer: ServiceName;
  audience: ServiceName;
  /** Refuses a token whose jti was accepted before; without one, a token is good until it expires. */
  replay?: ReplayGuard;
  /** Tests only. */
  currentDate?: Date;
};

export type ReplayGuard = ReturnType<typeof createReplayGuard>;

/**
 * Remembers the jti of every token accepted until the token expires, so that one seen once is refused if
 * it comes again: a token captured on the way cannot be replayed within its minute. In memory, per
 * process: with several instances of a service, a shared store (an atomic set-if-absent with a TTL)
 * would take its place. Its size is bounded by the peer's calls in a minute, and only the peer can mint
 * tokens that get this far.
 */
export function createReplayGuard() {
  // jti → when it can be forgotten (epoch seconds). Insertion order is about expiry order, since every
  // token lives a minute: forgetting walks from the oldest and stops at the first still needed.
  const seen = new Map<string, number>();
  return {
    /** True the first time a jti is offered (and from then on remembered), false while it is remembered. */
    firstUse(jti: string, expiresAt: number, nowSeconds: number): boolean {
      for (const [old, until] of seen) {
        if (until >= nowSeconds) break;
        seen.delete(old);
      }
      if (seen.has(jti)) return false;
      seen.set(jti, expiresAt + CLOCK_TOLERANCE_SECONDS);
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
  { key, issuer, audience, replay, currentDate }: VerifyOptions,
): Promise<Verification> {
  if (!key) return { ok: false, reason: "not_configured" };
  if (!header) return { ok: false, reason: "missing" };
  const token = /^Bearer +(\S+)$/i.exec(header)?.[1];
  if (!token) return { ok: false, reason: "not_bearer" };
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["EdDSA"],
      issuer,
      audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: TOKEN_LIFETIME_SECONDS,
      requiredClaims: ["iat", "exp", "jti"],
      ...(currentDate ? { currentDate } : {}),
    });
    const { iat, exp, jti } = payload;
    if (iat === undefined || exp === undefined || typeof jti !== "string") return { ok: false, reason: "missing_claim" };
    // jose checks exp and the token's age; a token minted to live longer than a minute is refused too.
    if (exp - iat > TOKEN_LIFETIME_SECONDS) return { ok: false, reason: "lifetime_too_long" };
    // Last, so that only a token good in every other way is remembered.
    if (replay && !replay.firstUse(jti, exp, Math.floor((currentDate ?? new Date()).getTime() / 1000)))
      return { ok: false, reason: "replayed" };
    return { ok: true, claims: { iss: issuer, aud: audience, jti, iat, exp } };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
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
