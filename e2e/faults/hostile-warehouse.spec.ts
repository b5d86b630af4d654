import { SIGN_IN_LIMITS } from "warehouse-api/testing";

import { expect, Stack, STAFF, test, type LogLine } from "../fixtures/stack";
import { fromAddress, loopbackAddresses, type Answer, type Client } from "./from-address";
import { report, underLoad } from "./harness";
import { shopperSession } from "./shopper";

/** Guesses at the staff account sent at once from one address. */
const GUESSES = 200;
/** Sign-ins one address may make at one account before it must wait. */
const PAIR_LIMIT = SIGN_IN_LIMITS.pair.attempts;
/** Sign-ins kept in flight during the flood, from as many addresses as ADDRESSES, each at a new account. */
const FLOOD = 400;
const ADDRESSES = 200;
/** The flood stops after this many sign-ins even if the checkouts have not finished. */
const MAX_FLOOD_SIGN_INS = 40_000;
/**
 * Checkouts per phase, by LANES customers at once, in ROUNDS of a calm phase then a flooded one: taking
 * turns, both see the same machine, whatever else it is doing meanwhile.
 */
const CHECKOUTS = 20;
const LANES = 4;
const ROUNDS = 3;

let stack: Stack;
test.beforeAll(async ({ database }) => {
  stack = await Stack.start({ database });
});
test.afterAll(async () => {
  await stack.close();
});

const wait = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** A sign-in sent until the warehouse takes it: a 503 (busy) is asked again when its Retry-After says. */
async function signInTaken(client: Client, email: string, password: string): Promise<Answer> {
  for (;;) {
    const answer = await client.signIn(stack.warehouseUrl, email, password);
    if (answer.status !== 503) return answer;
    await wait(answer.retryAfterSeconds ?? 1);
  }
}

const tally = (statuses: number[]) => {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[String(status)] = (counts[String(status)] ?? 0) + 1;
  return counts;
};

test("concurrent guesses at one account from one address: at most the limit are checked, then the right password is refused, and another address still signs in", async () => {
  const attacker = fromAddress("127.0.0.2");
  const bystander = fromAddress("127.0.0.3");
  try {
    const guesses = await Promise.all(Array.from({ length: GUESSES }, (_, n) => signInTaken(attacker, STAFF.email, `guess ${n}`)));
    const statuses = guesses.map((answer) => answer.status);
    // 401 is a password that was checked and wrong; 429 one that was not checked at all.
    const checked = statuses.filter((status) => status === 401).length;
    const rightPassword = await signInTaken(attacker, STAFF.email, STAFF.password);
    const fromElsewhere = await signInTaken(bystander, STAFF.email, STAFF.password);

    report("concurrent brute force", {
      guesses: GUESSES,
      "checked (401)": checked,
      "refused unchecked (429)": statuses.filter((status) => status === 429).length,
      "the right password from the same address": rightPassword.status,
      "the right password from another address": fromElsewhere.status,
    });
    expect(
      statuses.filter((status) => status !== 401 && status !== 429),
      "every guess is answered 401 or 429",
    ).toEqual([]);
    expect(checked, "no more guesses are checked than the limit, however many arrive at once").toBeLessThanOrEqual(PAIR_LIMIT);
    expect(rightPassword.status, "once throttled, the right password is refused too").toBe(429);
    expect(rightPassword.retryAfterSeconds).toBeGreaterThan(0);
    expect(fromElsewhere.status, "the account is not locked for everyone else").toBe(200);
  } finally {
    attacker.close();
    bystander.close();
  }
});

/** Runs `lanes` customers checking out until `steps` checkouts are done; `beside` runs meanwhile, told when they are. */
function checkouts(prefix: string, beside: (done: Promise<void>) => Promise<void>) {
  return underLoad({
    lanes: LANES,
    steps: CHECKOUTS,
    client: async () => {
      const customer = await shopperSession(stack.storeUrl);
      return (step) => customer.checkOut(`${prefix}-${step}`);
    },
    chaos: (progress) => beside(progress.reached(CHECKOUTS)),
  });
}

/**
 * FLOOD sign-ins in flight until `done`, each from the next of ADDRESSES and at a new account (so
 * every one costs a password check, against the decoy hash). A client told to retry comes back after
 * Retry-After (at most a second) and up to a second more at random, so the flood arrives all the time
 * rather than in waves, and the warehouse's password checks always have someone waiting. A client that
 * did not wait at all would be an HTTP flood, a job for a proxy's limit in front of the service, not for
 * the sign-in route. Returns the statuses it got.
 */
async function signInFlood(done: Promise<void>): Promise<number[]> {
  const clients = loopbackAddresses(1, ADDRESSES).map(fromAddress);
  let stopped = false;
  void done.then(() => (stopped = true));
  const statuses: number[] = [];
  try {
    await Promise.all(
      Array.from({ length: FLOOD }, async () => {
        while (!stopped && statuses.length < MAX_FLOOD_SIGN_INS) {
          const n = statuses.length;
          const client = clients[n % clients.length];
          if (client === undefined) return;
          const answer = await client.signIn(stack.warehouseUrl, `flood-${n}@example.test`, "not the password");
          statuses.push(answer.status);
          if (answer.retryAfterSeconds !== undefined) await wait(Math.min(answer.retryAfterSeconds, 1) + Math.random());
        }
      }),
    );
  } finally {
    for (const client of clients) client.close();
  }
  return statuses;
}

const median = (values: number[]) => percentile(values, 0.5);
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** One phase's order intake: the durations on `service`'s lines that `isIntake` picks for the orders `idsSql` lists. */
async function intakeDurations(
  service: "store-web" | "warehouse-api",
  idsSql: string,
  isIntake: (line: LogLine, ids: Set<string>) => boolean,
): Promise<number[]> {
  const ids = new Set(await stack.column(service, idsSql));
  return stack
    .logLines(service)
    .filter((line) => isIntake(line, ids))
    .map((line) => Number(line.durationMs));
}

/** How long the store waited for the warehouse to take each order of a phase: what its checkout felt. */
const storeIntakeMs = (prefix: string) =>
  intakeDurations(
    "store-web",
    `SELECT id FROM orders WHERE reference LIKE '${prefix}-%'`,
    (line, ids) => line.msg === "warehouse accepted the order" && ids.has(String(line.storeOrderId)),
  );

/** How long the warehouse took over each order of a phase, from its access lines. */
const warehouseIntakeMs = (prefix: string) =>
  intakeDurations(
    "warehouse-api",
    `SELECT correlation_id FROM orders WHERE reference LIKE '${prefix}-%'`,
    (line, ids) => line.msg === "request completed" && line.path === "/api/orders" && ids.has(String(line.correlationId)),
  );

test("a sign-in flood during checkouts: order intake stays within twice its calm latency, and no order waits in the store's outbox", async () => {
  const outcomes: string[] = [];
  const flood: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const calm = await checkouts(`PO-CALM-${round}`, () => Promise.resolve());
    const flooded = await checkouts(`PO-FLOOD-${round}`, async (done) => {
      flood.push(...(await signInFlood(done)));
    });
    outcomes.push(...[...calm.answered, ...flooded.answered].map(({ result }) => result.kind));
  }

  const waiting = await stack.count("store-web", "SELECT count(*) FROM order_outbox WHERE state <> 'delivered'");
  const [calmMs, floodMs] = [await storeIntakeMs("PO-CALM"), await storeIntakeMs("PO-FLOOD")];
  report("sign-in flood", {
    "sign-ins in the flood": flood.length,
    ...Object.fromEntries(Object.entries(tally(flood)).map(([status, n]) => [`answered ${status}`, n])),
    "intake p50 calm ms": median(calmMs),
    "intake p50 flooded ms": median(floodMs),
    "intake p95 calm ms": percentile(calmMs, 0.95),
    "intake p95 flooded ms": percentile(floodMs, 0.95),
    "intake max flooded ms": Math.max(...floodMs),
    "warehouse p50 calm ms": median(await warehouseIntakeMs("PO-CALM")),
    "warehouse p50 flooded ms": median(await warehouseIntakeMs("PO-FLOOD")),
    "orders left in the outbox": waiting,
  });
  expect(outcomes, "every checkout placed its order with the warehouse at once").toEqual(
    Array.from({ length: 2 * ROUNDS * CHECKOUTS }, () => "placed"),
  );
  expect(waiting, "no order waits in the store's outbox").toBe(0);
  expect(floodMs).toHaveLength(ROUNDS * CHECKOUTS);
  expect(median(floodMs), "order intake during the flood stays within twice its calm latency").toBeLessThanOrEqual(2 * median(calmMs));
});
