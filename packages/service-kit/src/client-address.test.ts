import { describe, expect, it } from "vitest";
import { z } from "zod";

import { clientOf, parseTrustedProxies, trustedProxiesField, type Peer, type TrustedProxies } from "./client-address.js";
import { EnvError, parseEnv } from "./env.js";

function trust(setting: string): TrustedProxies {
  const parsed = parseTrustedProxies(setting);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.trust;
}

const peer = (remoteAddress: string, forwardedFor?: string, forwardedProto?: string): Peer => ({
  remoteAddress,
  forwardedFor,
  forwardedProto,
});

describe("the client's address", () => {
  it("is the socket's peer when no proxy is trusted, whatever the headers claim", () => {
    expect(clientOf(peer("203.0.113.9", "198.51.100.1", "https"), trust(""))).toEqual({ address: "203.0.113.9", forwardedHttps: false });
    expect(clientOf(peer("203.0.113.9", "198.51.100.1"), trust("0")).address).toBe("203.0.113.9");
  });

  it("reads IPv4 inside IPv6 as IPv4, as a dual-stack socket reports it", () => {
    expect(clientOf(peer("::ffff:127.0.0.2"), trust("")).address).toBe("127.0.0.2");
  });

  it("is unknown without a socket (a request made in-process)", () => {
    expect(clientOf({ remoteAddress: undefined, forwardedFor: undefined, forwardedProto: undefined }, trust("")).address).toBe("unknown");
  });

  it("with a hop count, is the entry that many proxies in: what the client wrote itself further left is ignored", () => {
    // The client forged "1.1.1.1"; the proxy appended the address it really saw.
    expect(clientOf(peer("10.0.0.5", "1.1.1.1, 198.51.100.7"), trust("1")).address).toBe("198.51.100.7");
    expect(clientOf(peer("10.0.0.5", "1.1.1.1, 198.51.100.7, 10.0.0.9"), trust("2")).address).toBe("198.51.100.7");
    // Called directly, past the proxy: nothing was forwarded, so the peer is the client.
    expect(clientOf(peer("198.51.100.7"), trust("1")).address).toBe("198.51.100.7");
  });

  it("with addresses, walks through the trusted proxies only, and takes the first address that is not one", () => {
    const proxies = trust("10.0.0.0/8, 2001:db8::/32, 192.0.2.1");
    expect(clientOf(peer("10.1.2.3", "198.51.100.7, 192.0.2.1"), proxies).address).toBe("198.51.100.7");
    expect(clientOf(peer("2001:db8::1", "198.51.100.7"), proxies).address).toBe("198.51.100.7");
    // An untrusted peer's X-Forwarded-For is its own claim: not believed.
    expect(clientOf(peer("203.0.113.9", "198.51.100.7"), proxies).address).toBe("203.0.113.9");
  });

  it("never takes something that is not an address from the header", () => {
    expect(clientOf(peer("10.0.0.5", "x\r\ninjected, <script>"), trust("1")).address).toBe("10.0.0.5");
  });
});

describe("https behind a TLS-terminating proxy", () => {
  it("is what the outermost trusted proxy saw, and only a trusted proxy is asked", () => {
    expect(clientOf(peer("10.0.0.5", "198.51.100.7", "https"), trust("1")).forwardedHttps).toBe(true);
    expect(clientOf(peer("10.0.0.5", "198.51.100.7", "http"), trust("1")).forwardedHttps).toBe(false);
    // Two proxies that append: the first one's scheme is the client's.
    expect(clientOf(peer("10.0.0.5", "198.51.100.7, 10.0.0.9", "https, http"), trust("2")).forwardedHttps).toBe(true);
    // A client's own "https" in front of the proxy's entry does not count.
    expect(clientOf(peer("10.0.0.5", "198.51.100.7", "https, http"), trust("1")).forwardedHttps).toBe(false);
    expect(clientOf(peer("203.0.113.9", undefined, "https"), trust("1")).forwardedHttps).toBe(false);
  });
});

describe("the setting", () => {
  const Schema = z.object({ TRUSTED_PROXIES: trustedProxiesField() });

  it("is off when unset", () => {
    expect(parseEnv(Schema, {}, "test").TRUSTED_PROXIES).toEqual({ kind: "none" });
  });

  const problems = (value: string) => {
    try {
      parseEnv(Schema, { TRUSTED_PROXIES: value }, "test");
      return [];
    } catch (error) {
      return error instanceof EnvError ? error.problems : [String(error)];
    }
  };

  it.each(["17", "-1", "1.5", "10.0.0.0/33", "::1/129", "localhost", "10.0.0.1,", "10.0.0.0/8/8", "10.0.0.0/x"])(
    "refuses %j with one line naming the variable",
    (value) => {
      expect(problems(value)).toEqual([expect.stringMatching(/^TRUSTED_PROXIES: must be a hop count/)]);
    },
  );
});
