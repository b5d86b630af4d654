/**
 * The schedule under every outbox relay (see outbox-relay.ts): ticks that never overlap, a stop that
 * waits for the tick in flight, and how long a failed row waits before its next attempt.
 */

/** What a tick reports: how many rows ended in each outcome. */
export type TickResult<Outcome extends string> = Record<Outcome, number>;

export type RelayLoop<Outcome extends string> = {
  /** One tick now. Never overlaps itself: a call during a tick gets that tick's result. */
  runOnce: () => Promise<TickResult<Outcome>>;
  /** Ticks every `intervalMs`, counted from the end of the previous tick; a failed tick is logged. */
  start: (intervalMs: number) => void;
  /** No more ticks; resolves once the tick in flight (if any) has finished and been recorded. */
  stop: () => Promise<void>;
  /** True once stop() was called: a tick checks it between deliveries, so it starts no other. */
  stopping: () => boolean;
  /** True between start() and stop(): what a readiness check asks. */
  running: () => boolean;
};

export function createRelayLoop<Outcome extends string>(options: {
  outcomes: readonly Outcome[];
  tick: () => Promise<TickResult<Outcome>>;
  onTickError: (error: unknown) => void;
}): RelayLoop<Outcome> {
  const { outcomes, tick, onTickError } = options;
  let current: Promise<TickResult<Outcome>> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let started = false;

  const nothing = () => Object.fromEntries(outcomes.map((outcome) => [outcome, 0])) as TickResult<Outcome>;

  function runOnce(): Promise<TickResult<Outcome>> {
    if (stopped) return Promise.resolve(nothing());
    current ??= tick().finally(() => {
      current = undefined;
    });
    return current;
  }

  return {
    runOnce,
    start(intervalMs) {
      started = true;
      const loop = () => {
        runOnce()
          .catch(onTickError)
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, intervalMs);
          });
      };
      timer = setTimeout(loop, intervalMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current?.catch(() => undefined);
    },
    stopping: () => stopped,
    running: () => started && !stopped,
  };
}

export type Backoff = { baseMs: number; capMs: number };

/**
 * How long to wait after the `failures`-th failure in a row: exponential with full jitter (a random
 * share of base·2^(failures−1), capped), so that rows failing together do not retry together. At least
 * 1 ms, so a failed row is never due again within the tick that failed it.
 */
export function backoffMs(failures: number, random: () => number, { baseMs, capMs }: Backoff): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(failures, 1) - 1, 30));
  return Math.max(1, Math.round(random() * ceiling));
}
