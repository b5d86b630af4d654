import type { Context } from "hono";

import { clientOf, type Client, type TrustedProxies } from "@fishtag/service-kit/client-address";

import type { AppEnv } from "../app-env.js";

/** The socket's peer; app.request() in tests has no socket (and no env) at all, whatever `c.env`'s type says. */
function peerAddress(bindings: AppEnv["Bindings"] | undefined): string | undefined {
  return bindings?.incoming?.socket.remoteAddress;
}

/** Who sent this request, as far as `trust` lets the forwarding headers say (see service-kit/client-address). */
export function requestClient(c: Context<AppEnv>, trust: TrustedProxies): Client {
  return clientOf(
    { remoteAddress: peerAddress(c.env), forwardedFor: c.req.header("x-forwarded-for"), forwardedProto: c.req.header("x-forwarded-proto") },
    trust,
  );
}
