/**
 * The secrets `npm start` and `npm run dev` hand to the services: from the environment when set,
 * otherwise made up once and kept in ./data (git-ignored, readable by this user only): the dashboard's
 * first account, and each service's Ed25519 key pair for signing its calls to the other. The secrets are
 * never printed or logged; the public keys are printed when first made, for running one service elsewhere.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { DATA_DIR } from "./paths.js";

export const ADMIN_FILE = join(DATA_DIR, "staff-admin.json");
/** Each service's Ed25519 key pair, as PEM files: `<service>.key` (private) and `<service>.pub` (public). */
export const KEYS_DIR = join(DATA_DIR, "service-keys");

function keptSecret<T>(file: string, make: () => T, parse: (text: string) => T, format: (value: T) => string): T {
  if (existsSync(file)) return parse(readFileSync(file, "utf8"));
  const value = make();
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(file, format(value), { mode: 0o600 });
  return value;
}

type Account = { email: string; password: string };

/** The dashboard's first account: from the environment if set, otherwise made up once. */
export function adminAccount(): Account {
  const { WAREHOUSE_ADMIN_EMAIL: email, WAREHOUSE_ADMIN_PASSWORD: password } = process.env;
  if (email && password) return { email, password };
  return keptSecret<Account>(
    ADMIN_FILE,
    () => ({ email: "admin@fishtag.test", password: randomBytes(18).toString("base64url") }),
    (text) => JSON.parse(text) as Account,
    (account) => `${JSON.stringify(account, null, 2)}\n`,
  );
}

type KeyPair = { privatePem: string; publicPem: string; madeNow: boolean };

/** One service's key pair, made once; the public half is written first so a half-made pair is remade. */
function keptKeyPair(service: "store-web" | "warehouse-api"): KeyPair {
  const privateFile = join(KEYS_DIR, `${service}.key`);
  const publicFile = join(KEYS_DIR, `${service}.pub`);
  if (existsSync(privateFile) && existsSync(publicFile)) {
    return { privatePem: readFileSync(privateFile, "utf8"), publicPem: readFileSync(publicFile, "utf8"), madeNow: false };
  }
  const pair = generateKeyPairSync("ed25519", {
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const kept = { privatePem: pair.privateKey, publicPem: pair.publicKey, madeNow: true };
  mkdirSync(KEYS_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(publicFile, kept.publicPem, { mode: 0o600 });
  writeFileSync(privateFile, kept.privatePem, { mode: 0o600 });
  return kept;
}

/** An env value: base64 of the PEM, one line (the format both env modules read). */
const envValue = (pem: string) => Buffer.from(pem).toString("base64");

export type ServiceKeys = {
  store: { STORE_SIGNING_KEY: string; WAREHOUSE_PUBLIC_KEY: string };
  warehouse: { WAREHOUSE_SIGNING_KEY: string; STORE_PUBLIC_KEY: string };
  /** The pairs were made just now (not read from data/ or the environment). */
  madeNow: boolean;
};

/**
 * What each service gets: its own private key and the other's public key. From the environment when all
 * four are set (e.g. keys made elsewhere), otherwise from the pairs kept in data/service-keys.
 */
export function serviceKeys(): ServiceKeys {
  const { STORE_SIGNING_KEY, WAREHOUSE_PUBLIC_KEY, WAREHOUSE_SIGNING_KEY, STORE_PUBLIC_KEY } = process.env;
  if (STORE_SIGNING_KEY && WAREHOUSE_PUBLIC_KEY && WAREHOUSE_SIGNING_KEY && STORE_PUBLIC_KEY) {
    return { store: { STORE_SIGNING_KEY, WAREHOUSE_PUBLIC_KEY }, warehouse: { WAREHOUSE_SIGNING_KEY, STORE_PUBLIC_KEY }, madeNow: false };
  }
  const store = keptKeyPair("store-web");
  const warehouse = keptKeyPair("warehouse-api");
  return {
    store: { STORE_SIGNING_KEY: envValue(store.privatePem), WAREHOUSE_PUBLIC_KEY: envValue(warehouse.publicPem) },
    warehouse: { WAREHOUSE_SIGNING_KEY: envValue(warehouse.privatePem), STORE_PUBLIC_KEY: envValue(store.publicPem) },
    madeNow: store.madeNow || warehouse.madeNow,
  };
}

/** What to print when the key pairs are new: each public key as the env line the other service needs, never a private one. */
export function newKeysNotice({ store, warehouse, madeNow }: ServiceKeys): string[] {
  if (!madeNow) return [];
  return [
    `  New service keys made in ${KEYS_DIR}. Each service checks the other's calls against its public key;`,
    "  to run one of them elsewhere, give it the other's:",
    `    for the store:      WAREHOUSE_PUBLIC_KEY=${store.WAREHOUSE_PUBLIC_KEY}`,
    `    for the warehouse:  STORE_PUBLIC_KEY=${warehouse.STORE_PUBLIC_KEY}`,
  ];
}
