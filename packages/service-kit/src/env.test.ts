import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { generateServiceKeyPair } from "@fishtag/service-auth/keys";

import { commonEnv, EnvError, loadEnvOrExit, parseEnv, publicKeyField, signingKeyField } from "./env.js";

const Schema = z.object({
  ...commonEnv,
  PORT: z.coerce.number().int().min(1).max(65_535).default(8000),
  SIGNING_KEY: signingKeyField().optional(),
  PEER_KEY: publicKeyField().optional(),
});

describe("parseEnv", () => {
  it("gives the defaults of the common fields", () => {
    expect(parseEnv(Schema, {}, "test service")).toEqual({
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      OTEL_SDK_DISABLED: false,
      METRICS_HOST: "127.0.0.1",
      PORT: 8000,
    });
  });

  it("names every bad variable on its own line, under the service's label", () => {
    const error = (() => {
      try {
        parseEnv(Schema, { PORT: "70000", LOG_LEVEL: "loud" }, "test service");
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).message.split("\n")).toEqual([
      expect.stringMatching(/^Invalid test service environment: LOG_LEVEL: /) as unknown,
      expect.stringMatching(/^Invalid test service environment: PORT: /) as unknown,
    ]);
  });

  it("turns keys into key objects and never echoes a bad key", () => {
    const pair = generateServiceKeyPair();
    const env = parseEnv(Schema, { SIGNING_KEY: pair.signingKey, PEER_KEY: pair.publicKey }, "test service");
    expect(env.SIGNING_KEY?.type).toBe("private");
    expect(env.PEER_KEY?.type).toBe("public");
    // The private key where the peer's public one belongs: refused, and the message does not contain it.
    expect(() => parseEnv(Schema, { PEER_KEY: pair.signingKey }, "test service")).toThrow(/PEER_KEY: must be the peer's public key/);
    try {
      parseEnv(Schema, { PEER_KEY: pair.signingKey }, "test service");
    } catch (error) {
      expect(String(error)).not.toContain(pair.signingKey.slice(0, 40));
    }
  });
});

describe("loadEnvOrExit", () => {
  it("stops the process with exit code 1 and one line naming the variable, not a stack trace", () => {
    const printed = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const exit = vi.spyOn(process, "exit").mockImplementation(() => {
      throw new Error("exited");
    });
    try {
      expect(() => loadEnvOrExit(Schema, { PORT: "1000000" }, "store")).toThrow("exited");
      expect(exit).toHaveBeenCalledWith(1);
      expect(printed.mock.calls).toEqual([["Invalid store environment: PORT: Too big: expected number to be <=65535"]]);
    } finally {
      printed.mockRestore();
      exit.mockRestore();
    }
  });
});
