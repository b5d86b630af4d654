import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";

/**
 * Service keys in the environment: Ed25519, as PEM (PKCS#8 for a signing key, SPKI for a public key),
 * base64-encoded so that each fits on one line of an env file. A PEM as it is (with its line breaks) is
 * accepted too. Nothing here ever puts key material into an error message.
 */

export type KeyParse = { ok: true; key: KeyObject } | { ok: false; problem: string };

/** A fresh key pair, each half ready for an env variable (base64 of its PEM). */
export function generateServiceKeyPair(): { signingKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    signingKey: toEnvValue(privateKey.export({ type: "pkcs8", format: "pem" })),
    publicKey: toEnvValue(publicKey.export({ type: "spki", format: "pem" })),
  };
}

export function toEnvValue(pem: string | Buffer): string {
  return Buffer.from(pem).toString("base64");
}

function pemOf(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith("-----BEGIN") ? trimmed : Buffer.from(trimmed, "base64").toString("utf8");
}

const NOT_A_KEY = "must be an Ed25519 key as base64 of its PEM";

/** An Ed25519 key made from `pem` if it has the `marker` header, or the problem in words (never the key). */
function ed25519Key(pem: string, marker: "PRIVATE KEY" | "PUBLIC KEY", make: (pem: string) => KeyObject): KeyParse {
  const unreadable: KeyParse = {
    ok: false,
    problem: `${NOT_A_KEY} (${marker === "PRIVATE KEY" ? "PKCS#8" : "SPKI"}, "BEGIN ${marker}")`,
  };
  if (!pem.includes(`${marker}-----`)) return unreadable;
  try {
    const key = make(pem);
    if (key.asymmetricKeyType !== "ed25519")
      return { ok: false, problem: `must be an Ed25519 key, not ${key.asymmetricKeyType ?? "another kind"}` };
    return { ok: true, key };
  } catch {
    return unreadable;
  }
}

/** The service's own private key, for signing what it sends. */
export function parseSigningKey(value: string): KeyParse {
  return ed25519Key(pemOf(value), "PRIVATE KEY", createPrivateKey);
}

/**
 * The peer's public key, for checking what it sends. A private key is refused here: it would work (the
 * public half can be derived from it), but it must never be handed to the other service.
 */
export function parsePublicKey(value: string): KeyParse {
  const pem = pemOf(value);
  if (pem.includes("PRIVATE KEY-----")) return { ok: false, problem: "must be the peer's public key, not a private key" };
  return ed25519Key(pem, "PUBLIC KEY", createPublicKey);
}

/**
 * For an env module's zod transform: the key, or undefined after adding the problem as an issue (the value
 * never appears in it), e.g. `z.string().transform((value, ctx) => envKey(parseSigningKey, value, ctx) ?? z.NEVER)`.
 */
export function envKey(
  parse: (value: string) => KeyParse,
  value: string,
  ctx: { addIssue: (issue: { code: "custom"; message: string }) => void },
): KeyObject | undefined {
  const parsed = parse(value);
  if (parsed.ok) return parsed.key;
  ctx.addIssue({ code: "custom", message: parsed.problem });
  return undefined;
}
