import { describe, expect, it } from "vitest";

import { generateServiceKeyPair } from "@fishtag/service-auth/keys";
import { parseEnv as parseWith } from "@fishtag/service-kit/env";

import { EnvSchema } from "./env";

const parseEnv = (source: Record<string, string | undefined>) => parseWith(EnvSchema, source, "store");

describe("store env", () => {
  it("has working defaults", () => {
    expect(parseEnv({})).toMatchObject({
      STORE_PORT: 8000,
      WAREHOUSE_URL: "http://localhost:9000",
      WAREHOUSE_TIMEOUT_MS: 5000,
      WAREHOUSE_BREAKER_HALF_OPEN_MS: 10_000,
      STORE_CHECKOUT_LIMIT_PER_MINUTE: 10,
    });
  });

  it("keeps the database in ./data by default and takes another path", () => {
    expect(parseEnv({}).STORE_DB_PATH).toBe("./data/store.db");
    expect(parseEnv({ STORE_DB_PATH: "/var/lib/store/store.db" }).STORE_DB_PATH).toBe("/var/lib/store/store.db");
  });

  it("leaves the service keys unset by default (so `next build` needs none) and reads Ed25519 keys as base64 PEM", () => {
    const own = generateServiceKeyPair();
    const warehouse = generateServiceKeyPair();
    expect(parseEnv({}).STORE_SIGNING_KEY ?? parseEnv({}).WAREHOUSE_PUBLIC_KEY).toBeUndefined();
    const env = parseEnv({ STORE_SIGNING_KEY: own.signingKey, WAREHOUSE_PUBLIC_KEY: warehouse.publicKey });
    expect(env.STORE_SIGNING_KEY).toMatchObject({ type: "private", asymmetricKeyType: "ed25519" });
    expect(env.WAREHOUSE_PUBLIC_KEY).toMatchObject({ type: "public", asymmetricKeyType: "ed25519" });
  });

  it.each([
    ["STORE_SIGNING_KEY", generateServiceKeyPair().publicKey],
    ["WAREHOUSE_PUBLIC_KEY", generateServiceKeyPair().signingKey],
    ["STORE_SIGNING_KEY", "hunter2-not-a-key"],
  ])("names a bad %s without echoing it", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`${name}: must be`));
    expect(() => parseEnv({ [name]: value })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(value.slice(0, 12)) as unknown }),
    );
  });

  it.each([
    ["WAREHOUSE_URL", "localhost:9000"],
    ["WAREHOUSE_URL", "ftp://warehouse"],
    ["STORE_PORT", "0"],
    ["WAREHOUSE_TIMEOUT_MS", "forever"],
    ["WAREHOUSE_BREAKER_HALF_OPEN_MS", "-1"],
    ["STORE_CHECKOUT_LIMIT_PER_MINUTE", "0"],
    ["STORE_DB_PATH", ""],
  ])("refuses a bad %s and names it", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`^Invalid store environment: ${name}: `));
  });
});
