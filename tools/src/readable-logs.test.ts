import { describe, expect, it } from "vitest";

import { readableLogs } from "./readable-logs.js";

const format = readableLogs({ colorize: false });

describe("readableLogs", () => {
  it("turns a JSON log line into one line a person reads: level, service, correlation ID, message, other fields", () => {
    const line = JSON.stringify({
      level: "info",
      time: "2026-12-01T16:58:00.123Z",
      service: "store-web",
      correlationId: "3f2a9c1e-1111-4222-8333-444455556666",
      msg: "request completed",
      status: 303,
    });
    const shown = format("store-web", line);
    expect(shown).toMatch(
      /^\[\d\d:\d\d:\d\d\] INFO: store-web {5}\[3f2a9c1e-1111-4222-8333-444455556666\] request completed \{"status":303\}$/,
    );
    expect(shown).not.toContain("\n");
  });

  it("leaves out the trace ids, and the API reads that open pages poll, but never a failed one or a write", () => {
    const access = (fields: Record<string, unknown>) =>
      JSON.stringify({ level: "info", time: "2026-12-01T16:58:00.123Z", service: "store-web", msg: "request completed", ...fields });
    expect(format("store-web", access({ method: "GET", path: "/api/orders/ST-000001", status: 200 }))).toBeUndefined();
    expect(format("store-web", access({ method: "GET", path: "/api/orders/ST-000001", status: 404 }))).toContain("404");
    expect(format("store-web", access({ method: "POST", path: "/api/warehouse-events", status: 200 }))).toContain("POST");
    expect(format("store-web", access({ method: "GET", path: "/orders/ST-000001", status: 200 }))).toContain("/orders/ST-000001");
    expect(format("store-web", access({ method: "GET", path: "/", status: 200, trace_id: "4bf9", span_id: "00f0" }))).not.toMatch(
      /trace_id|span_id/,
    );
  });

  it("shows a line that is not JSON as it came, labelled with its service", () => {
    expect(format("warehouse-api", "node:internal/process: boom")).toBe("warehouse-api | node:internal/process: boom");
  });
});
