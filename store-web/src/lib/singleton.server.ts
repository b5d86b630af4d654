/**
 * One value per process, made on first use. server.ts and Next's bundles (pages, actions, route handlers,
 * the proxy) are built separately but run in one process, each with its own copy of a module: a value kept
 * in a module would be made once per bundle. Kept on globalThis under a registered symbol instead, it is
 * one, whichever bundle asks first: one database connection, one circuit breaker, one rate limit.
 */
export function remember<T>(name: string, make: () => T): T {
  const key = Symbol.for(`fishtag.store.${name}`);
  const registry = globalThis as typeof globalThis & Record<symbol, T | undefined>;
  return (registry[key] ??= make());
}
