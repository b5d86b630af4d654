import { BlockList, isIP } from "node:net";

import { z } from "zod";

/**
 * Which address is the client's, and did it come over TLS, for a service that may sit behind proxies.
 * A proxy puts the address it took the request from in X-Forwarded-For (appending to what was there)
 * and its scheme in X-Forwarded-Proto; anyone else can send those headers too. So they are believed only
 * as far as a chain of trusted proxies reaches: walking from the socket's peer leftwards through
 * X-Forwarded-For, the first address that is not a trusted proxy is the client. Trust is off unless
 * configured: the socket's peer is the client, and the headers are ignored.
 */

export type TrustedProxies =
  | { kind: "none" }
  /** The nearest `hops` peers are proxies, whatever their addresses (a load balancer with changing ones). */
  | { kind: "hops"; hops: number }
  /** Peers within these addresses and ranges are proxies. */
  | { kind: "addresses"; list: BlockList };

export const NO_TRUSTED_PROXIES: TrustedProxies = { kind: "none" };

export const MAX_PROXY_HOPS = 16;

const PROBLEM = `must be a hop count (0–${MAX_PROXY_HOPS}) or a comma-separated list of IP addresses and CIDR ranges`;

/** An IPv4 address inside IPv6 (`::ffff:10.0.0.1`, how a dual-stack socket reports one) as plain IPv4. */
function normalized(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped ?? address;
}

function family(address: string): "ipv4" | "ipv6" | undefined {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : undefined;
}

/** The setting as written in the environment: empty or 0 (off), a hop count, or addresses and CIDR ranges. */
export function parseTrustedProxies(value: string | undefined): { ok: true; trust: TrustedProxies } | { ok: false; problem: string } {
  const text = value?.trim() ?? "";
  if (text === "") return { ok: true, trust: NO_TRUSTED_PROXIES };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_PROXY_HOPS) return { ok: false, problem: PROBLEM };
    return { ok: true, trust: hops === 0 ? NO_TRUSTED_PROXIES : { kind: "hops", hops } };
  }
  const list = new BlockList();
  for (const entry of text.split(",").map((part) => part.trim())) {
    const [address = "", prefix, ...rest] = entry.split("/");
    const type = family(normalized(address));
    if (!type || rest.length > 0) return { ok: false, problem: PROBLEM };
    if (prefix === undefined) {
      list.addAddress(normalized(address), type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    if (!(bits <= (type === "ipv4" ? 32 : 128))) return { ok: false, problem: PROBLEM };
    list.addSubnet(normalized(address), bits, type);
  }
  return { ok: true, trust: { kind: "addresses", list } };
}

/**
 * For an env module's schema, e.g. `WAREHOUSE_TRUSTED_PROXIES: trustedProxiesField()`: unset is off. A bad
 * value is an issue naming the variable, not echoing it.
 */
export const trustedProxiesField = () =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const parsed = parseTrustedProxies(value);
      if (parsed.ok) return parsed.trust;
      ctx.addIssue({ code: "custom", message: parsed.problem });
      return z.NEVER;
    });

/** What a request tells about where it came from: the socket's peer and the two forwarding headers. */
export type Peer = { remoteAddress: string | undefined; forwardedFor: string | undefined; forwardedProto: string | undefined };

export type Client = {
  /** The client's IP address; "unknown" when the socket has none (a request made in-process). */
  address: string;
  /** The client reached the first trusted proxy over https (that proxy said so); false without trusted proxies. */
  forwardedHttps: boolean;
};

function trusts(trust: TrustedProxies, address: string, hop: number): boolean {
  switch (trust.kind) {
    case "none":
      return false;
    case "hops":
      return hop < trust.hops;
    case "addresses": {
      const type = family(address);
      return type !== undefined && trust.list.check(address, type);
    }
  }
}

const listOf = (header: string | undefined) =>
  (header ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

export function clientOf({ remoteAddress, forwardedFor, forwardedProto }: Peer, trust: TrustedProxies): Client {
  // Nearest first: the socket's peer, then X-Forwarded-For from its right end (the entry the nearest proxy added).
  const hops = [remoteAddress, ...listOf(forwardedFor).reverse()].map((address) =>
    address === undefined ? undefined : normalized(address),
  );
  let proxies = 0;
  // An entry that is not an address stops the walk: no header value a client made up becomes its address.
  while (proxies + 1 < hops.length && family(hops[proxies + 1] ?? "") && trusts(trust, hops[proxies] ?? "", proxies)) proxies++;
  const address = hops[proxies] ?? "unknown";
  if (proxies === 0) return { address, forwardedHttps: false };
  // Each proxy on the way appends its scheme, so the one the client used is the entry the outermost
  // trusted proxy wrote; a proxy that overwrites the header leaves one entry, its own.
  const schemes = listOf(forwardedProto);
  const scheme = schemes[Math.max(0, schemes.length - proxies)];
  return { address, forwardedHttps: scheme?.toLowerCase() === "https" };
}
