import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";

import { metrics, ValueType, type MeterProvider as ApiMeterProvider, type Meter } from "@opentelemetry/api";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider } from "@opentelemetry/sdk-metrics";

/**
 * Metrics for one service, served as Prometheus text on a listener of their own (`/metrics` on its own
 * port, loopback by default), so that the public port never shows them. The HTTP server metrics
 * (`http.server.request.duration`, `http.server.active_requests`, by route and status) come from the
 * services' HTTP instrumentation through the global meter provider registered here; the process's
 * event-loop delay, heap and RSS are added below; each service adds its own business counters.
 */
export type MetricsOptions = {
  serviceName: string;
  /** 0: any free port (tests). */
  port: number;
  /** 127.0.0.1 unless the operator opens it (a scraper on another host). */
  host: string;
};

export type Metrics = {
  /** Where Prometheus scrapes, once listening; undefined when the listener could not start (see problem). */
  url: string | undefined;
  problem?: string;
  shutdown: () => Promise<void>;
};

export async function startMetrics({ serviceName, port, host }: MetricsOptions): Promise<Metrics> {
  const exporter = new PrometheusExporter({ port, host, preventServerStart: true });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ "service.name": serviceName }), readers: [exporter] });
  processMetrics(provider.getMeter("fishtag"));
  // Served by a listener of ours (the exporter's own handler answers): one route, nothing else on it.
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url?.split("?")[0] === "/metrics") exporter.getMetricsRequestHandler(req, res);
    else res.writeHead(404, { "content-type": "text/plain" }).end("GET /metrics\n");
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    // A metrics port already taken must not keep the shop from taking orders: the service runs without
    // /metrics and says so (the caller logs `problem`).
    await provider.shutdown();
    return { url: undefined, problem: error instanceof Error ? error.message : String(error), shutdown: () => Promise.resolve() };
  }
  // Registered once it is served: a provider nobody can read would only take the instruments' records.
  metrics.setGlobalMeterProvider(provider);
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${String(bound)}/metrics`,
    shutdown: async () => {
      server.close();
      await provider.shutdown();
    },
  };
}

/** The meter a service records its own counters with (a no-op one until startMetrics has run). */
export function meter(): Meter {
  return metrics.getMeter("fishtag");
}

/**
 * A service's instruments, made on first use and made again if the meter provider changes (tests).
 * OpenTelemetry's metrics API has no stand-in that picks up a provider registered later, so instruments
 * made at import, before startMetrics, would record nothing.
 */
export function lazyInstruments<T>(make: (meter: Meter) => T): () => T {
  let made: { provider: ApiMeterProvider; instruments: T } | undefined;
  return () => {
    const provider = metrics.getMeterProvider();
    if (made?.provider !== provider) made = { provider, instruments: make(meter()) };
    return made.instruments;
  };
}

/** Event-loop delay (the p99 over each scrape interval), heap in use and resident memory. */
function processMetrics(meter: Meter): void {
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  meter
    .createObservableGauge("nodejs.eventloop.delay.p99", {
      description: "The event loop's delay, 99th percentile since the last scrape",
      unit: "s",
      valueType: ValueType.DOUBLE,
    })
    .addCallback((result) => {
      result.observe(loopDelay.percentile(99) / 1e9);
      loopDelay.reset();
    });
  meter
    .createObservableGauge("process.memory.usage", { description: "Resident memory (RSS)", unit: "By", valueType: ValueType.INT })
    .addCallback((result) => {
      result.observe(process.memoryUsage.rss());
    });
  meter
    .createObservableGauge("v8js.memory.heap.used", { description: "V8 heap in use", unit: "By", valueType: ValueType.INT })
    .addCallback((result) => {
      result.observe(process.memoryUsage().heapUsed);
    });
}
