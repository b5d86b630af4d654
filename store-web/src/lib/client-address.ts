/**
 * The request header server.ts sets to the connection's remote address, replacing any value a client
 * sent: the only client identity the store trusts (for the checkout's rate limit).
 */
export const CLIENT_ADDRESS_HEADER = "x-fishtag-client-address";
