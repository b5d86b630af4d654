/**
 * The anonymous customer: a random id in a long-lived cookie names this browser's cart and orders. It
 * is HttpOnly (no script reads it) and SameSite=Lax (sent on links from other sites, not on their
 * cross-site form posts). Without sign-in, whoever holds the cookie is the customer.
 */
export const CUSTOMER_COOKIE = "fishtag_customer";

/** 400 days: the longest lifetime browsers accept for a cookie. */
const MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Only ids this store could have minted are used: anything else is replaced by a fresh one. */
export function isCustomerId(value: string | undefined): value is string {
  return value !== undefined && UUID.test(value);
}

export function customerCookie(id: string, secure: boolean) {
  return { name: CUSTOMER_COOKIE, value: id, httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: MAX_AGE_SECONDS } as const;
}
