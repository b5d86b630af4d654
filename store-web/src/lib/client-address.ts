/**
 * The request headers server.ts sets from the connection (and from the proxies STORE_TRUSTED_PROXIES
 * names), replacing any value a client sent under the same names: the only client identity the store
 * trusts. The address keys the checkout's rate limit; "1" for https makes the customer cookie Secure.
 */
export const CLIENT_ADDRESS_HEADER = "x-fishtag-client-address";
export const CLIENT_HTTPS_HEADER = "x-fishtag-client-https";
