// Create-order load as the Store sends it, for the benches that measure order creation (create-order.ts,
// replicas.ts): autocannon in the bench's own process, a new signed order per request, latency per response.

import type { KeyObject } from "node:crypto";

import autocannon from "autocannon";

import { storeOrderRequest } from "./protocol.js";
import { percentile } from "./report.js";

export type OrderLoad = {
  reqPerSec: number;
  /** Every answered request, whatever its status. */
  requests: number;
  /** Answered 201: what the database should hold afterwards. */
  created: number;
  p50Ms: number;
  p99Ms: number;
  non201: Record<string, number>;
  errors: number;
  firstError: string | undefined;
  /** The load generator's own CPU over the run (this process), in % of one core. */
  loadGenCpuPct: number;
};

/**
 * `seconds` of POST `url` (…/api/orders) over `connections` connections, each request a new order signed
 * with `signingKey`: storeOrderId `st-<prefix>-<n>` (also its Idempotency-Key) and correlation ID
 * `bench-<prefix>-<n>`, so `prefix` keeps them unique across a bench's runs.
 */
export function orderLoad({
  url,
  signingKey,
  connections,
  seconds,
  prefix,
}: {
  url: string;
  signingKey: KeyObject;
  connections: number;
  seconds: number;
  prefix: string;
}): Promise<OrderLoad> {
  let sequence = 0;
  // autocannon's own latency histogram has whole-millisecond resolution; these requests take about one.
  const latencies: number[] = [];
  let firstError: string | undefined;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: "POST",
        connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (request) => {
              sequence++;
              // A new order per request, so a new key: as the Store does, its order id.
              const order = storeOrderRequest(signingKey, url, `st-${prefix}-${sequence}`, `bench-${prefix}-${sequence}`);
              return { ...request, headers: { ...request.headers, ...order.headers }, body: order.body };
            },
          },
        ],
      },
      (error, result) => {
        clearTimeout(watchdog);
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const cpu = process.cpuUsage(cpuBefore);
        const wallMicros = (performance.now() - started) * 1000;
        const non201: Record<string, number> = {};
        for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
          if (status !== "201") non201[status] = stats.count ?? 0;
        }
        latencies.sort((a, b) => a - b);
        resolve({
          reqPerSec: result.requests.total / result.duration,
          requests: result.requests.total,
          created: result.statusCodeStats?.["201"]?.count ?? 0,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          non201,
          errors: result.errors + result.mismatches,
          firstError,
          loadGenCpuPct: (100 * (cpu.user + cpu.system)) / wallMicros,
        });
      },
    );
    instance.on("response", (_client, _status, _bytes, responseTimeMs) => {
      latencies.push(responseTimeMs);
    });
    instance.on("reqError", (error: unknown) => {
      firstError ??= error instanceof Error ? error.message : String(error);
    });
    // autocannon stops itself after `duration`; this is for a server that stops answering altogether.
    const watchdog = setTimeout(
      () => {
        instance.stop();
      },
      (seconds + 15) * 1000,
    );
  });
}

export const non201Count = (non201: Record<string, number>) => Object.values(non201).reduce((sum, n) => sum + n, 0);

/** What made a run broken: answers other than 201, connection errors. */
export function loadProblems(label: string, l: OrderLoad): string[] {
  const lines: string[] = [];
  if (non201Count(l.non201) > 0) lines.push(`${label}: non-201 responses ${JSON.stringify(l.non201)}`);
  if (l.errors > 0) lines.push(`${label}: ${l.errors} errors (first: ${l.firstError ?? "?"})`);
  return lines;
}
