import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestWarehouse, type StaffHeaders, type TestWarehouse } from "../testing.js";
import type { Traces } from "./traces.schemas.js";

/** A stand-in for the OTLP receiver's read API (tools/src/otlp-receiver.ts): answers as `respond` says. */
async function fakeReceiver(respond: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(respond);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}` };
}

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z in nanoseconds
const at = (ms: number) => (T0 + BigInt(ms * 1_000_000)).toString();

/** What the receiver sends for one staff move: the route, its transaction, and a refused token check. */
const RECEIVER_ANSWER = {
  traces: [
    {
      traceId: TRACE_ID,
      spans: [
        {
          traceId: TRACE_ID,
          spanId: "00000000000000a1",
          parentSpanId: "00f067aa0ba902b7",
          service: "warehouse-api",
          name: "POST /api/orders/:id/transitions",
          kind: 2,
          startTimeUnixNano: at(0),
          endTimeUnixNano: at(12.5),
          status: { code: 0, message: null },
          attributes: { "fishtag.correlation_id": "click-1" },
          events: [],
        },
        {
          traceId: TRACE_ID,
          spanId: "00000000000000a2",
          parentSpanId: "00000000000000a1",
          service: "warehouse-api",
          name: "UPDATE orders",
          kind: 1,
          startTimeUnixNano: at(2),
          endTimeUnixNano: at(4.25),
          status: { code: 2, message: "SQLITE_BUSY" },
          attributes: {},
          events: [],
        },
        {
          traceId: TRACE_ID,
          spanId: "00000000000000a3",
          parentSpanId: "00000000000000a1",
          service: "store-web",
          name: "verify service token",
          kind: 1,
          startTimeUnixNano: at(30),
          endTimeUnixNano: at(31),
          status: { code: 2, message: "" },
          attributes: {},
          events: [{ name: "refused", timeUnixNano: at(30.5), attributes: { reason: "expired" } }],
        },
      ],
    },
  ],
  truncated: false,
};

let warehouse: TestWarehouse;
let staff: StaffHeaders;
let receiver: { server: Server; url: string };
const asked: string[] = [];
beforeAll(async () => {
  receiver = await fakeReceiver((req, res) => {
    asked.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(RECEIVER_ANSWER));
  });
  warehouse = await createTestWarehouse({ traces: { url: receiver.url } });
  staff = await warehouse.staffHeaders();
});
afterAll(async () => {
  await warehouse.close();
  receiver.server.close();
});

const getTraces = (from: TestWarehouse, correlationId: string, headers: Record<string, string> = staff) =>
  from.app.request(`/api/traces?correlationId=${encodeURIComponent(correlationId)}`, { headers });

describe("GET /api/traces", () => {
  it("is for staff only", async () => {
    const res = await getTraces(warehouse, "click-1", {});
    expect(res.status).toBe(401);
    expect(asked).toEqual([]);
  });

  it("answers the receiver's spans of that Reference, timed from the trace's start, each failure with its reason", async () => {
    const res = await getTraces(warehouse, "click-1");
    expect(res.status).toBe(200);
    expect(asked).toEqual(["/api/traces?correlationId=click-1"]);
    const body = (await res.json()) as Traces;
    expect(body).toEqual({
      correlationId: "click-1",
      truncated: false,
      traces: [
        {
          traceId: TRACE_ID,
          startedAt: "2026-01-01T00:00:00.000Z",
          durationMs: 31,
          spans: [
            {
              spanId: "00000000000000a1",
              parentSpanId: "00f067aa0ba902b7",
              service: "warehouse-api",
              name: "POST /api/orders/:id/transitions",
              startMs: 0,
              durationMs: 12.5,
              failure: null,
            },
            expect.objectContaining({ name: "UPDATE orders", startMs: 2, durationMs: 2.25, failure: "SQLITE_BUSY" }),
            // No status message: the refusal's reason says why.
            expect.objectContaining({ service: "store-web", name: "verify service token", failure: "expired" }),
          ],
        },
      ],
    });
  });

  it("refuses what is not a correlation ID before asking the receiver", async () => {
    asked.length = 0;
    for (const id of ["", "a b", "x".repeat(129), "line\nbreak"]) {
      const res = await getTraces(warehouse, id);
      expect(res.status, JSON.stringify(id)).toBe(400);
      expect(await res.json()).toMatchObject({ error: "validation_failed", issues: [{ path: "correlationId" }] });
    }
    expect(asked).toEqual([]);
  });

  it("says traces are not kept here when no receiver is configured: 404 in the API's error shape", async () => {
    const bare = await createTestWarehouse();
    try {
      const res = await getTraces(bare, "click-1", await bare.staffHeaders());
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: "traces_not_collected",
        message: expect.stringContaining("OTEL_EXPORTER_OTLP_ENDPOINT") as string,
        correlationId: expect.any(String) as string,
      });
    } finally {
      await bare.close();
    }
  });

  describe("when the receiver fails, a clear 502, never a 500", () => {
    const failing = async (respond: (req: IncomingMessage, res: ServerResponse) => void, timeoutMs = 3000) => {
      const broken = await fakeReceiver(respond);
      const other = await createTestWarehouse({ traces: { url: broken.url, timeoutMs } });
      try {
        const res = await getTraces(other, "click-1", await other.staffHeaders());
        return { status: res.status, body: (await res.json()) as { error: string; message: string } };
      } finally {
        await other.close();
        broken.server.closeAllConnections();
        broken.server.close();
      }
    };

    it("is down: nothing listens at its URL", async () => {
      const gone = await fakeReceiver(() => undefined);
      await new Promise((resolve) => gone.server.close(resolve));
      const other = await createTestWarehouse({ traces: { url: gone.url } });
      try {
        const res = await getTraces(other, "click-1", await other.staffHeaders());
        expect(res.status).toBe(502);
        expect(await res.json()).toMatchObject({ error: "traces_unavailable", message: expect.stringContaining("ECONNREFUSED") as string });
      } finally {
        await other.close();
      }
    });

    it("does not answer in time", async () => {
      const { status, body } = await failing(() => undefined, 200);
      expect(status).toBe(502);
      expect(body).toMatchObject({ error: "traces_unavailable", message: expect.stringContaining("timeout") as string });
    });

    it("answers with an error, or with something that is not traces", async () => {
      for (const [code, text] of [
        [500, "{}"],
        [200, "<html>proxy error</html>"],
        [200, JSON.stringify({ traces: [{ traceId: "x", spans: "none" }] })],
      ] as const) {
        const { status, body } = await failing((_req, res) => res.writeHead(code, { "content-type": "application/json" }).end(text));
        expect(status, text).toBe(502);
        expect(body.error, text).toBe("traces_unavailable");
      }
    });
  });
});
