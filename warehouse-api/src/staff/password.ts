import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

// scrypt is memory-hard and ships with Node. N = 2^15, r = 8 needs 32 MiB per hash (OWASP's minimum
// for scrypt is N = 2^17 with r = 8, p = 1; 2^15 keeps a sign-in near 50 ms on a small machine, and
// the parameters are stored with each hash, so they can be raised without breaking old ones).
const DEFAULTS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes, plus headroom.
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 256 * (options.N ?? 0) * (options.r ?? 0) }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** `scrypt$N$r$p$salt$hash`, base64url: everything needed to check the password later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, DEFAULTS);
  return ["scrypt", DEFAULTS.N, DEFAULTS.r, DEFAULTS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of nothing anyone knows: checked against when the email is unknown, so that an unknown
 * account takes as long to refuse as a wrong password and sign-in does not reveal who has an account.
 */
export const DECOY_HASH = await hashPassword(randomBytes(16).toString("base64url"));

/**
 * How much password checking sign-ins may do: `atOnce` checks at most, using at most `share` of one
 * thread's time over a while, in bursts of up to `burstMs` of checking.
 */
export type PasswordCheckBudget = { atOnce: number; share: number; burstMs: number };

/**
 * Password checks within a budget, none waiting. scrypt runs on libuv's thread pool (four threads), which
 * also checks the Store's tokens (WebCrypto) and reads the dashboard's files, and it takes a core while it
 * runs. Checks queued there without bound made an order wait behind a sign-in flood until its token
 * expired; and one check at a time, back to back, still took a core of two from everything else. So the
 * time spent checking is a token bucket: it fills at `share` of real time up to `burstMs`, each check
 * spends what it took, and none starts while it is empty or `atOnce` are running. A sign-in refused for
 * that is refused at once, and its client told to come back (503 with Retry-After).
 */
export function passwordCheckSlots({ atOnce, share, burstMs }: PasswordCheckBudget, now: () => number = () => performance.now()) {
  let running = 0;
  let creditMs = burstMs;
  let filledAt = now();
  const refill = () => {
    const at = now();
    creditMs = Math.min(burstMs, creditMs + (at - filledAt) * share);
    filledAt = at;
    return at;
  };
  return {
    /**
     * When a check refused now may come back, in whole seconds: once the bucket is above empty again (a
     * check that took long on a busy machine leaves it further below), or in a second when the checks
     * running are all that stopped it.
     */
    retryAfterSeconds(): number {
      refill();
      return creditMs > 0 ? 1 : Math.max(1, Math.ceil(-creditMs / share / 1000));
    },
    /** A slot, given back by calling the returned function (once); undefined when none may start. */
    take(): (() => void) | undefined {
      const started = refill();
      if (running >= atOnce || creditMs <= 0) return undefined;
      running++;
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        running--;
        creditMs -= now() - started;
      };
    },
  };
}
