import { test } from "@playwright/test";

/**
 * Counts work done and wakes whoever waits for a count: the chaos in a fault test happens "after 300
 * checkouts", not after a guessed number of milliseconds.
 */
export class Progress {
  private count = 0;
  private ended = false;
  private waiters: { at: number; resolve: () => void }[] = [];

  get done(): number {
    return this.count;
  }

  add(): void {
    this.count++;
    this.wake();
  }

  /** Resolves once `at` units are done, or once the work has ended (`finish`) short of it. */
  reached(at: number): Promise<void> {
    if (this.ended || this.count >= at) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ at, resolve }));
  }

  /** The work has ended: nobody waits for a count that will not come. */
  finish(): void {
    this.ended = true;
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
  }

  private wake() {
    const ready = this.waiters.filter((waiter) => waiter.at <= this.count);
    this.waiters = this.waiters.filter((waiter) => waiter.at > this.count);
    for (const waiter of ready) waiter.resolve();
  }
}

/** The figures a fault test measured: printed, and kept on the test in the report. */
export function report(title: string, figures: Record<string, number | string>): void {
  const line = Object.entries(figures)
    .map(([name, value]) => `${name} ${String(value)}`)
    .join(", ");
  test.info().annotations.push({ type: "figures", description: line });
  console.log(`faults: ${title}: ${line}`);
}

/** The values that occur more than once in `values`. */
export function repeated(values: readonly string[]): string[] {
  const seen = new Map<string, number>();
  for (const value of values) seen.set(value, (seen.get(value) ?? 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([value]) => value);
}

/**
 * True for fetch's own network failures: the connection refused or reset ("fetch failed"), or the body
 * cut off mid-way ("terminated"). Any other TypeError is a bug in the test, and must not pass for a
 * service that went away.
 */
export function isNoAnswer(error: unknown): boolean {
  return error instanceof TypeError && (error.message === "fetch failed" || error.message === "terminated");
}

/**
 * Load with chaos beside it: `lanes` clients, each taking the next step number and doing it, one after
 * another, until `steps` are done; meanwhile `chaos` waits on the progress (steps answered) to break
 * something. With `untilNoAnswer`, a step that gets no answer at all (the service is gone) ends its lane
 * and is returned as cut off; without it, that fails the test like any other error.
 */
export async function underLoad<T>(options: {
  lanes: number;
  steps: number;
  /** One client: set up once per lane (a customer, say), then called with each step's number. */
  client: () => Promise<(step: number) => Promise<T>>;
  chaos: (progress: Progress) => Promise<void>;
  untilNoAnswer?: boolean;
}): Promise<{ answered: { step: number; result: T }[]; cutOff: number[] }> {
  const progress = new Progress();
  const answered: { step: number; result: T }[] = [];
  const cutOff: number[] = [];
  const chaos = options.chaos(progress);
  // Its failure is reported once the load has ended (awaited below), not as an unhandled rejection now.
  chaos.catch(() => undefined);
  let next = 0;
  await Promise.all(
    Array.from({ length: options.lanes }, async () => {
      const run = await options.client();
      while (next < options.steps) {
        const step = next++;
        let result: T;
        try {
          result = await run(step);
        } catch (error) {
          if (!(options.untilNoAnswer && isNoAnswer(error))) throw error;
          cutOff.push(step);
          return;
        }
        answered.push({ step, result });
        progress.add();
      }
    }),
  ).finally(() => {
    progress.finish();
  });
  await chaos;
  return { answered, cutOff };
}
