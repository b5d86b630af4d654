import { headers } from "next/headers";

import { CLIENT_ADDRESS_HEADER } from "./client-address";

/**
 * The client address an action's rate limits count against. server.ts always sets the header; "unknown"
 * (one shared budget) only if a request reached Next some other way.
 */
export async function clientAddress(): Promise<string> {
  return (await headers()).get(CLIENT_ADDRESS_HEADER) ?? "unknown";
}
