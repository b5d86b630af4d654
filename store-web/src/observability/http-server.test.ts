import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { context, propagation, SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startTracing } from "@fishtag/tracing/otel";

import { observeRequest } from "./http-server";

const exporter = new InMemorySpanExporter();
let server: Server;
let port: number;
/** What the handler saw of the caller's baggage, per request. */
let baggageSeen: string[] = [];

beforeAll(async () => {
  startTracing({ serviceName: "store-web", exporter });
  server = createServer((req, res) => {
    context.with(observeRequest(req, res), () => {
      baggageSeen.push(
        propagation
          .getActiveBaggage()
          ?.getAllEntries()
          .map(([key]) => key)
          .join(",") ?? "",
      );
      res.setHeader("x-correlation-id", "answered-id");
      res.writeHead(req.url === "/boom" ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
});
beforeEach(() => {
  exporter.reset();
  baggageSeen = [];
});

/** A raw request, headers as given (node:http refuses only what HTTP itself cannot carry). */
function send(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path, headers }, (res) => {
      res.resume();
      res.on("end", () => {
        resolve(res.statusCode ?? 0);
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

describe("the store's request span", () => {
  it("continues a caller's traceparent, is named by route, and carries the status and the correlation ID answered", async () => {
    expect(await send("/orders/ST-000042?placed", { traceparent: `00-${TRACE}-00f067aa0ba902b7-01`, baggage: "flag=on" })).toBe(200);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe("GET /orders/[number]");
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe(TRACE);
    expect(span?.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
    expect(span?.attributes).toMatchObject({
      "http.route": "/orders/[number]",
      "http.response.status_code": 200,
      "fishtag.correlation_id": "answered-id",
    });
    expect(baggageSeen).toEqual(["flag"]);
  });

  it("drops a public client's feature flags from its baggage and keeps the rest: flags are the store's to decide", async () => {
    expect(await send("/orders/new", { baggage: "fishtag.flags=priority-lane,tenant=acme" })).toBe(200);
    expect(baggageSeen).toEqual(["tenant"]);
    expect(exporter.getFinishedSpans()[0]?.attributes["fishtag.flags"]).toBeUndefined();
  });

  it("marks a 5xx as an error", async () => {
    expect(await send("/boom", {})).toBe(500);
    expect(exporter.getFinishedSpans()[0]?.status.code).toBe(2);
  });

  it("starts a trace of its own for any malformed traceparent, and drops malformed baggage, answering every request", async () => {
    const hex = (length: number) =>
      fc.string({ unit: fc.constantFrom(..."0123456789abcdef".split("")), minLength: length, maxLength: length });
    const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 300 });
    const malformed = fc.oneof(
      fc.tuple(fc.constantFrom("ff", "0", "zz", "00"), hex(31), hex(16), fc.constantFrom("01", "1", "")).map((parts) => parts.join("-")),
      fc.constant(`00-${"0".repeat(32)}-${"1".repeat(16)}-01`),
      fc.constant(`00-${"1".repeat(32)}-${"0".repeat(16)}-01`),
      headerText,
    );
    const hostileBaggage = fc.oneof(
      headerText,
      fc.constantFrom("=,=;=", ";;;", "k=v;p=%ZZ", `k=${"v".repeat(9000)}`),
      fc.integer({ min: 181, max: 400 }).map((count) => Array.from({ length: count }, (_, index) => `k${String(index)}=v`).join(",")),
    );
    await fc.assert(
      fc.asyncProperty(malformed, hostileBaggage, async (traceparent, baggage) => {
        exporter.reset();
        expect(await send("/", { traceparent, baggage })).toBe(200);
        const [span] = exporter.getFinishedSpans();
        expect(span?.parentSpanContext).toBeUndefined();
        expect(span?.spanContext().traceId).not.toBe("0".repeat(32));
      }),
      { numRuns: 200 },
    );
    // The W3C propagator keeps at most 180 well-formed entries of a baggage; none of the malformed.
    expect(baggageSeen.every((keys) => keys.split(",").length <= 180)).toBe(true);
  });
});
