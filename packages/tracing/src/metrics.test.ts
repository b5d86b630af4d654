import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { meter, startMetrics, type Metrics } from "./metrics.js";

let served: Metrics;
beforeAll(async () => {
  served = await startMetrics({ serviceName: "test-service", port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await served.shutdown();
});

describe("metrics", () => {
  it("serves the process's metrics and the service's own as Prometheus text on their own listener", async () => {
    meter().createCounter("orders.created", { description: "Orders stored" }).add(2, { status: "received" });

    const url = served.url ?? "";
    const response = await fetch(url);
    const text = await response.text();
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(text).toMatch(/^orders_created_total\{status="received",otel_scope_name="fishtag"\} 2$/m);
    for (const name of ["process_memory_usage", "v8js_memory_heap_used", "nodejs_eventloop_delay_p99"]) {
      expect(text).toMatch(new RegExp(`^${name}\\{otel_scope_name="fishtag"\\} [\\d.e+-]+$`, "m"));
    }
    expect((await fetch(url.replace("/metrics", "/"))).status).toBe(404);
  });

  it("starts without its listener, saying why, when its port is taken, instead of stopping the service", async () => {
    const port = Number(new URL(served.url ?? "").port);
    const second = await startMetrics({ serviceName: "test-service", port, host: "127.0.0.1" });
    expect(second.url).toBeUndefined();
    expect(second.problem).toMatch(/EADDRINUSE/);
    await second.shutdown();
  });
});
