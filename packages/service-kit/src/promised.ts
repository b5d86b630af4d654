/** An object's methods as they look from outside: each returns a promise of what it returned. */
export type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/**
 * The repositories' API is asynchronous, because Postgres answers over a socket. SQLite answers in the
 * call itself (better-sqlite3 is synchronous, and group commit relies on that), so its repositories are
 * written as plain functions and handed out through this: each method still runs at once, in the caller's
 * turn, and its result or error comes back as a promise.
 */
export function promised<T extends Record<string, (...args: never[]) => unknown>>(methods: T): Promised<T> {
  return Object.fromEntries(
    Object.entries(methods).map(([name, method]) => [
      name,
      (...args: never[]) =>
        new Promise((resolve) => {
          resolve(method(...args));
        }),
    ]),
  ) as Promised<T>;
}
