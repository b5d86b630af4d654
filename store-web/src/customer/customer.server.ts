import { cookies } from "next/headers";

import { CUSTOMER_COOKIE, isCustomerId } from "./customer-cookie";

/**
 * This browser's customer id. proxy.ts gives every page and action request one (adding it to the
 * request on the first visit), so it is only missing for requests the proxy skipped.
 */
export async function currentCustomerId(): Promise<string | undefined> {
  const value = (await cookies()).get(CUSTOMER_COOKIE)?.value;
  return isCustomerId(value) ? value : undefined;
}

/** For server actions: proxy.ts gives every action request a customer, so a missing one is a bug, not input. */
export async function requireCustomerId(): Promise<string> {
  const id = await currentCustomerId();
  if (!id) throw new Error("a server action without a customer cookie: proxy.ts did not run for it");
  return id;
}
