import { afterEach, describe, expect, it } from "vitest";

import { signInThrottle } from "../db/schema.js";
import { jsonRequest } from "../test/fixtures.js";
import { postJsonFrom, serveOnLoopback } from "../test/loopback.js";
import { createTestWarehouse, TEST_STAFF, type TestWarehouse } from "../testing.js";
import { createSignInThrottle, SIGN_IN_LIMITS, sweepSignInThrottle } from "./sign-in-throttle.js";
import { createStaffRepo } from "./staff.repo.js";

const { pair, client, account } = SIGN_IN_LIMITS;
const ONE_PROXY = { kind: "hops", hops: 1 } as const;

let warehouse: TestWarehouse;
afterEach(async () => {
  await warehouse.close();
});

/** A warehouse with TEST_STAFF, and a sign-in as the dashboard sends it (from `forwardedFor`, if a proxy is trusted). */
async function staffWarehouse(options: Parameters<typeof createTestWarehouse>[0] = {}) {
  warehouse = await createTestWarehouse(options);
  await createStaffRepo(warehouse.database).addUser(TEST_STAFF);
  return async (email: string, password: string, forwardedFor?: string) =>
    warehouse.app.request(
      "/api/session",
      jsonRequest({ email, password }, { "x-correlation-id": "sign-in", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) }),
    );
}

const statusesOf = (responses: Response[]) => responses.map((res) => res.status);
const countOf = (statuses: number[], status: number) => statuses.filter((each) => each === status).length;

// scrypt is slow on purpose (about 50 ms and 32 MiB per check), and CI may be building the store on the
// same two cores: a test here makes up to a dozen checks.
describe("the sign-in throttle", { timeout: 30_000 }, () => {
  it("counts each attempt before its password is checked: of fifty guesses sent at once, only the limit are checked", async () => {
    // A test warehouse checks as many passwords at once as this sends: nothing but the throttle holds them back.
    const signIn = await staffWarehouse();

    const statuses = statusesOf(await Promise.all(Array.from({ length: 50 }, (_, n) => signIn(TEST_STAFF.email, `guess ${n}`))));

    // 401: checked and wrong; 429: refused unchecked.
    expect(countOf(statuses, 401)).toBe(pair.attempts);
    expect(countOf(statuses, 429)).toBe(50 - pair.attempts);
  });

  it("refuses the right password too once a client is throttled at an account, and says when to retry", async () => {
    const signIn = await staffWarehouse();
    for (let n = 0; n < pair.attempts; n++) expect((await signIn(TEST_STAFF.email, `guess ${n}`)).status).toBe(401);

    const res = await signIn(TEST_STAFF.email, TEST_STAFF.password);
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: "too_many_attempts", correlationId: "sign-in" });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(pair.windowSeconds - 60);
  });

  it("throttles the client at the account, not the account: another address signs in meanwhile", async () => {
    await staffWarehouse();
    const server = await serveOnLoopback(warehouse.app);
    try {
      const url = `${server.url}/api/session`;
      for (let n = 0; n < pair.attempts; n++) await postJsonFrom("127.0.0.2", url, { email: TEST_STAFF.email, password: `guess ${n}` });
      const throttled = await postJsonFrom("127.0.0.2", url, { email: TEST_STAFF.email, password: TEST_STAFF.password });
      const elsewhere = await postJsonFrom("127.0.0.3", url, { email: TEST_STAFF.email, password: TEST_STAFF.password });

      expect(throttled.status).toBe(429);
      expect(elsewhere.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("throttles a client that tries many accounts", async () => {
    const signIn = await staffWarehouse();
    for (let n = 0; n < client.attempts; n++) expect((await signIn(`user${n}@warehouse.test`, "guess")).status).toBe(401);

    expect((await signIn("another@warehouse.test", "guess")).status).toBe(429);
  });

  it("slows an account guessed at from many addresses instead of locking it: then one check per pace, and a wait of seconds", async () => {
    const signIn = await staffWarehouse({ trustedProxies: ONE_PROXY });
    const from = (n: number) => `198.51.100.${n + 1}`;
    for (let n = 0; n < account.attempts; n++) expect((await signIn(TEST_STAFF.email, "guess", from(n))).status).toBe(401);

    // Past the free attempts: the next one takes the account's turn, and one right after it waits for the next.
    expect((await signIn(TEST_STAFF.email, "guess", from(account.attempts))).status).toBe(401);
    const owner = await signIn(TEST_STAFF.email, TEST_STAFF.password, from(account.attempts + 1));
    expect(owner.status).toBe(429);
    const wait = Number(owner.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(account.paceSeconds);
  });

  it("believes X-Forwarded-For only from a trusted proxy", async () => {
    const direct = await staffWarehouse();
    for (let n = 0; n < pair.attempts; n++) await direct(TEST_STAFF.email, "guess", "198.51.100.1");
    // Without a trusted proxy, a header a client can write makes no new client.
    expect((await direct(TEST_STAFF.email, TEST_STAFF.password, "198.51.100.2")).status).toBe(429);
    await warehouse.close();

    const proxied = await staffWarehouse({ trustedProxies: ONE_PROXY });
    for (let n = 0; n < pair.attempts; n++) await proxied(TEST_STAFF.email, "guess", "198.51.100.1");
    expect((await proxied(TEST_STAFF.email, TEST_STAFF.password, "198.51.100.1")).status).toBe(429);
    expect((await proxied(TEST_STAFF.email, TEST_STAFF.password, "198.51.100.2")).status).toBe(200);
  });

  it("forgets its counters once their window has passed", async () => {
    warehouse = await createTestWarehouse();
    const turn = await createSignInThrottle(warehouse.database).take(TEST_STAFF.email, "198.51.100.1");
    expect(turn.ok).toBe(true);
    const rows = async () => (await warehouse.rows(signInThrottle)).length;
    expect(await rows()).toBe(3);

    expect(await sweepSignInThrottle(warehouse.database)).toBe(0);
    expect(await sweepSignInThrottle(warehouse.database, Date.now() + pair.windowSeconds * 1000 + 1000)).toBe(3);
    expect(await rows()).toBe(0);
  });
});

describe("password checks beyond the budget", { timeout: 30_000 }, () => {
  it("refuses sign-ins beyond the checks running with 503 and Retry-After, without counting them as attempts", async () => {
    const signIn = await staffWarehouse({ passwordChecks: { atOnce: 1, share: 1, burstMs: 60_000 } });

    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => signIn(TEST_STAFF.email, `guess ${n}`)));
    const busy = answers.filter((res) => res.status === 503);
    const checked = countOf(statusesOf(answers), 401);

    expect(busy.length).toBeGreaterThan(0);
    expect(checked + busy.length).toBe(10);
    for (const res of busy) {
      expect(res.headers.get("retry-after")).toBe("1");
      expect(await res.json()).toMatchObject({ error: "busy", correlationId: "sign-in" });
    }
    // The refused ones took nothing from the client's attempts at the account: the rest are still checked.
    for (let n = checked; n < pair.attempts; n++) expect((await signIn(TEST_STAFF.email, "guess again")).status).toBe(401);
    expect((await signIn(TEST_STAFF.email, "one too many")).status).toBe(429);
  });
});
