import type { Server, ServerResponse } from "node:http";

import type { Logger } from "@fishtag/tracing/logger";

export type DrainOptions = {
  logger: Logger;
  /** At the signal, while the server closes: stop what starts new work (relays, timers). Awaited. */
  stop?: () => unknown;
  /** Once the server has closed and `stop` has settled: release what requests used (Next, the database). */
  release?: () => unknown;
  signals?: readonly NodeJS.Signals[];
  /** How the process ends once drained; tests pass their own. */
  exit?: (code: number) => void;
};

export type Drain = {
  /** What a signal does; tests call it directly. Resolves after `exit` was called. */
  drain: (signal: NodeJS.Signals) => Promise<void>;
  draining: () => boolean;
};

/**
 * Graceful shutdown, as ADR 0005 describes it: on SIGTERM or SIGINT the server stops taking connections,
 * answers what it has taken (every answer from the signal on carries `Connection: close`, so clients on
 * kept-alive connections move off), then `stop`, `release`, the logs' flush, and exit 0.
 */
export function drainOnSignals(server: Server, options: DrainOptions): Drain {
  const { logger, stop, release, signals = ["SIGTERM", "SIGINT"], exit = (code: number) => process.exit(code) } = options;
  let draining = false;
  // Prepended: the header is set before the app writes its answer.
  server.prependListener("request", (_request, response: ServerResponse) => {
    if (draining) response.setHeader("connection", "close");
  });

  async function drain(signal: NodeJS.Signals): Promise<void> {
    if (draining) return;
    draining = true;
    logger.info({ signal }, "shutting down");
    const closed = new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
    // Settled, not all: a relay that fails to stop must not keep the process from closing.
    const [stopped] = await Promise.allSettled([Promise.resolve().then(stop), closed]);
    if (stopped.status === "rejected") logger.error({ err: stopped.reason as unknown }, "shutdown: stopping background work failed");
    try {
      await release?.();
    } catch (error) {
      logger.error({ err: error }, "shutdown: releasing resources failed");
    }
    await new Promise<void>((resolve) => {
      logger.flush(() => {
        resolve();
      });
    });
    exit(0);
  }

  for (const signal of signals) process.once(signal, (received: NodeJS.Signals) => void drain(received));
  return { drain, draining: () => draining };
}
