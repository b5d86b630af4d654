import { lazyInstruments } from "@fishtag/tracing/metrics";

/**
 * The store's own metrics, beside the process's and the order outbox's (packages/relay), served as
 * Prometheus text on STORE_METRICS_PORT (server.ts). HTTP server metrics follow OpenTelemetry's HTTP
 * conventions, by route (observability/routes.ts), never by raw path.
 */
export const storeMetrics = lazyInstruments((m) => ({
  requestDuration: m.createHistogram("http.server.request.duration", {
    description: "Requests, by method, route and status",
    unit: "s",
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  }),
  activeRequests: m.createUpDownCounter("http.server.active_requests", { description: "Requests being answered" }),
  checkouts: m.createCounter("store.checkouts", {
    description: "Checkouts by outcome: placed, accepted (awaiting the warehouse), rejected, failed, invalid, rate_limited",
  }),
}));

/** The warehouse client's circuit as a number a graph can show: 0 closed, 1 half-open, 2 open. */
export const BREAKER_LEVEL = { closed: 0, "half-open": 1, open: 2 } as const;
