import { metrics, type MeterProvider } from "@opentelemetry/api";

import { meter } from "@fishtag/tracing/metrics";

/**
 * The warehouse's own metrics, beside the HTTP server's (by route and status), the process's and the
 * status outbox's (packages/relay): what an operator watches. Served as Prometheus text by @fishtag/tracing/metrics on their own listener.
 *
 * OpenTelemetry's metrics API has no stand-in that picks up a provider registered later, so instruments
 * are made on first use after start-up, and made again if the provider changes (tests).
 */
function makeInstruments() {
  const m = meter();
  return {
    ordersCreated: m.createCounter("warehouse.orders.created", { description: "Orders stored, by status (received or rejected)" }),
    transitions: m.createCounter("warehouse.orders.transitions", { description: "Status changes by staff, by from and to" }),
    idempotentReplays: m.createCounter("warehouse.idempotent_replays", { description: "Order creations answered from a stored answer" }),
    tokensRefused: m.createCounter("service_tokens.refused", { description: "Service calls refused, by reason" }),
    signInsThrottled: m.createCounter("warehouse.sign_in.throttled", {
      description: "Sign-ins refused by the throttle or the hashing budget",
    }),
  };
}

let made: { provider: MeterProvider; instruments: ReturnType<typeof makeInstruments> } | undefined;

export function warehouseMetrics(): ReturnType<typeof makeInstruments> {
  const provider = metrics.getMeterProvider();
  if (made?.provider !== provider) made = { provider, instruments: makeInstruments() };
  return made.instruments;
}
