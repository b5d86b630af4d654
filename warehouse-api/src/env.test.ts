import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { generateServiceKeyPair } from "@fishtag/service-auth/keys";
import { parseEnv as parseWith } from "@fishtag/service-kit/env";

import { EnvSchema } from "./env.js";

const parseEnv = (source: Record<string, string | undefined>) => parseWith(EnvSchema, source, "warehouse");

const OWN = generateServiceKeyPair();
const STORE = generateServiceKeyPair();

describe("warehouse env", () => {
  it("has working defaults", () => {
    expect(parseEnv({})).toMatchObject({ WAREHOUSE_PORT: 9000, WAREHOUSE_DB_PATH: "./data/warehouse.db", WAREHOUSE_REJECT_PREFIX: "F" });
  });

  it("accepts an empty reject prefix, which turns the rule off", () => {
    expect(parseEnv({ WAREHOUSE_REJECT_PREFIX: "" }).WAREHOUSE_REJECT_PREFIX).toBe("");
  });

  it("wants the admin email and password together", () => {
    expect(() => parseEnv({ WAREHOUSE_ADMIN_EMAIL: "admin@example.com" })).toThrow(/WAREHOUSE_ADMIN_PASSWORD: set both/);
  });

  it("leaves the status relay off by default, and checks every second", () => {
    const env = parseEnv({});
    expect(env.STORE_URL ?? env.WAREHOUSE_SIGNING_KEY ?? env.STORE_PUBLIC_KEY).toBeUndefined();
    expect(env.WAREHOUSE_RELAY_INTERVAL_MS).toBe(1000);
  });

  it("reads traces from a receiver only when told its http(s) URL", () => {
    expect(parseEnv({}).WAREHOUSE_TRACES_URL).toBeUndefined();
    expect(parseEnv({ WAREHOUSE_TRACES_URL: "http://127.0.0.1:4318" }).WAREHOUSE_TRACES_URL).toBe("http://127.0.0.1:4318");
    expect(() => parseEnv({ WAREHOUSE_TRACES_URL: "file:///etc/passwd" })).toThrow(/WAREHOUSE_TRACES_URL: must be an http\(s\) URL/);
  });

  it("trusts no proxy unless told which: a hop count, or addresses and ranges", () => {
    expect(parseEnv({}).WAREHOUSE_TRUSTED_PROXIES).toEqual({ kind: "none" });
    expect(parseEnv({ WAREHOUSE_TRUSTED_PROXIES: "1" }).WAREHOUSE_TRUSTED_PROXIES).toEqual({ kind: "hops", hops: 1 });
    expect(parseEnv({ WAREHOUSE_TRUSTED_PROXIES: "10.0.0.0/8, ::1" }).WAREHOUSE_TRUSTED_PROXIES).toMatchObject({ kind: "addresses" });
  });

  it("takes the store URL with its own signing key, and the store's public key, as Ed25519 keys", () => {
    const env = parseEnv({
      STORE_URL: "http://localhost:8000",
      WAREHOUSE_SIGNING_KEY: OWN.signingKey,
      STORE_PUBLIC_KEY: STORE.publicKey,
      WAREHOUSE_RELAY_INTERVAL_MS: "200",
    });
    expect(env).toMatchObject({ STORE_URL: "http://localhost:8000", WAREHOUSE_RELAY_INTERVAL_MS: 200 });
    expect(env.WAREHOUSE_SIGNING_KEY).toMatchObject({ type: "private", asymmetricKeyType: "ed25519" });
    expect(env.STORE_PUBLIC_KEY).toMatchObject({ type: "public", asymmetricKeyType: "ed25519" });
  });

  it.each([
    ["WAREHOUSE_SIGNING_KEY", { STORE_URL: "http://localhost:8000" }],
    ["STORE_URL", { WAREHOUSE_SIGNING_KEY: OWN.signingKey }],
  ])("names %s when only the other one is set", (missing, source) => {
    expect(() => parseEnv(source)).toThrow(
      new RegExp(`^Invalid warehouse environment: ${missing}: set both STORE_URL and WAREHOUSE_SIGNING_KEY, or neither$`),
    );
  });

  it.each([
    ["WAREHOUSE_SIGNING_KEY", STORE.publicKey, "a public key where the private one belongs"],
    ["STORE_PUBLIC_KEY", STORE.signingKey, "the store's private key"],
    ["WAREHOUSE_SIGNING_KEY", "hunter2-not-a-key", "junk"],
  ])("refuses a bad %s without printing it (%#: %s)", (name, value) => {
    expect(() => parseEnv({ STORE_URL: "http://localhost:8000", WAREHOUSE_SIGNING_KEY: OWN.signingKey, [name]: value })).toThrow(
      new RegExp(`^Invalid warehouse environment: ${name}: `),
    );
    expect(() => parseEnv({ STORE_URL: "http://localhost:8000", WAREHOUSE_SIGNING_KEY: OWN.signingKey, [name]: value })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(value.slice(0, 12)) as unknown }),
    );
  });

  it.each([
    ["WAREHOUSE_PORT", "nine thousand"],
    ["WAREHOUSE_PORT", "70000"],
    ["LOG_LEVEL", "loud"],
    ["WAREHOUSE_REJECT_PREFIX", "F F"],
    ["WAREHOUSE_ADMIN_PASSWORD", "short"],
    ["STORE_URL", "localhost:8000"],
    ["STORE_URL", "ftp://store.example"],
    ["WAREHOUSE_SIGNING_KEY", "too-short"],
    ["STORE_PUBLIC_KEY", "not a key"],
    ["WAREHOUSE_RELAY_INTERVAL_MS", "10"],
    ["WAREHOUSE_RELAY_INTERVAL_MS", "120000"],
    ["WAREHOUSE_RELAY_INTERVAL_MS", "soon"],
    ["WAREHOUSE_TRUSTED_PROXIES", "17"],
    ["WAREHOUSE_TRUSTED_PROXIES", "10.0.0.0/33"],
    ["WAREHOUSE_TRUSTED_PROXIES", "the load balancer"],
  ])("refuses a bad %s and names it", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`^Invalid warehouse environment: ${name}: `));
  });
});

describe("the server's start-up", () => {
  it("stops on values out of range with one line per variable, naming it, and no stack trace", () => {
    const started = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./index.ts", import.meta.url))], {
      env: { WAREHOUSE_PORT: "99999", WAREHOUSE_RELAY_INTERVAL_MS: "1" },
      encoding: "utf8",
      timeout: 20_000,
    });

    expect(started.status).toBe(1);
    expect(started.stdout).toBe("");
    expect(started.stderr.trimEnd().split("\n")).toEqual([
      "Invalid warehouse environment: WAREHOUSE_PORT: Too big: expected number to be <=65535",
      "Invalid warehouse environment: WAREHOUSE_RELAY_INTERVAL_MS: Too small: expected number to be >=50",
    ]);
  });
});
