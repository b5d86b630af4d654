import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { collectTimeline, correlationIdsOfOrder, formatTimeline, logFiles, type LogEntry } from "./timeline.js";

const line = (fields: Record<string, unknown>) => JSON.stringify(fields);

function logFolder(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), "trace-"));
  for (const [name, lines] of Object.entries(files)) writeFileSync(join(dir, name), `${lines.join("\n")}\n`);
  return dir;
}

describe("trace timeline", () => {
  it("merges both services' lines for one ID in time order and leaves out everything else", async () => {
    const dir = logFolder({
      "store-web.log": [
        line({ time: "2026-11-22T10:00:00.000Z", service: "store-web", level: "info", correlationId: "abc", msg: "checkout started" }),
        line({
          time: "2026-11-22T10:00:00.300Z",
          service: "store-web",
          level: "info",
          correlationId: "abc",
          msg: "request completed",
          method: "POST",
          path: "/orders/new",
          status: 200,
          durationMs: 301,
        }),
        line({ time: "2026-11-22T10:00:00.100Z", service: "store-web", level: "info", correlationId: "abcd", msg: "a different request" }),
      ],
      "warehouse-api.log": [
        line({
          time: "2026-11-22T10:00:00.200Z",
          service: "warehouse-api",
          level: "info",
          correlationId: "abc",
          msg: "order received",
          orderId: "o-1",
        }),
        '{"torn line from a killed process", "abc',
        line({ time: "2026-11-22T10:00:00.050Z", service: "warehouse-api", level: "info", msg: "started, mentions abc but has no ID" }),
      ],
      "notes.txt": [line({ time: "2026-11-22T10:00:00.000Z", service: "x", level: "info", correlationId: "abc", msg: "not a log file" })],
    });

    const entries = await collectTimeline(await logFiles(dir), "abc");

    expect(entries.map((entry) => `${entry.service}: ${entry.msg}`)).toEqual([
      "store-web: checkout started",
      "warehouse-api: order received",
      "store-web: request completed",
    ]);
    expect(formatTimeline(entries).split("\n")).toEqual([
      "2026-11-22T10:00:00.000Z  store-web      INFO   checkout started",
      "2026-11-22T10:00:00.200Z  warehouse-api  INFO   order received (orderId=o-1)",
      "2026-11-22T10:00:00.300Z  store-web      INFO   request completed: POST /orders/new → 200 in 301 ms",
    ]);
  });

  it("names each request where an order's story passes from one to the next", () => {
    const entry = (correlationId: string, msg: string): LogEntry => ({
      time: "2026-11-22T10:00:00.000Z",
      service: "store-web",
      level: "info",
      msg,
      correlationId,
    });
    expect(
      formatTimeline([entry("checkout-1", "a"), entry("checkout-1", "b"), entry("move-2", "c")], { requests: true }).split("\n"),
    ).toEqual([
      "request checkout-1",
      "2026-11-22T10:00:00.000Z  store-web  INFO   a",
      "2026-11-22T10:00:00.000Z  store-web  INFO   b",
      "",
      "request move-2",
      "2026-11-22T10:00:00.000Z  store-web  INFO   c",
    ]);
  });

  it("prints text a client chose without its control characters", async () => {
    const dir = logFolder({
      "warehouse-api.log": [
        line({
          time: "2026-11-22T10:00:00.000Z",
          service: "warehouse-api",
          level: "warn",
          correlationId: "x1",
          msg: "order rejected",
          reference: "F\u001b[31m\r\n2026 fake line",
        }),
      ],
    });

    const output = formatTimeline(await collectTimeline(await logFiles(dir), "x1"));

    expect(output).toBe("2026-11-22T10:00:00.000Z  warehouse-api  WARN   order rejected (reference=F\uFFFD[31m\uFFFD\uFFFD2026 fake line)");
  });

  it("finds an order's whole story by its number: every request that named it, and every line of those requests", async () => {
    const at = (seconds: number) => `2026-11-22T10:00:${String(seconds).padStart(2, "0")}.000Z`;
    const dir = logFolder({
      "store-web.log": [
        line({
          time: at(1),
          service: "store-web",
          level: "info",
          correlationId: "checkout",
          msg: "checkout: sending",
          orderNumber: "ST-000007",
        }),
        line({ time: at(2), service: "store-web", level: "info", correlationId: "checkout", msg: "request completed" }),
        line({
          time: at(5),
          service: "store-web",
          level: "info",
          correlationId: "move-1",
          msg: "status event applied",
          orderNumber: "ST-000007",
        }),
        line({
          time: at(6),
          service: "store-web",
          level: "info",
          correlationId: "other",
          msg: "checkout: sending",
          orderNumber: "ST-000070",
        }),
      ],
      "warehouse-api.log": [
        line({
          time: at(1),
          service: "warehouse-api",
          level: "info",
          correlationId: "checkout",
          msg: "order received",
          storeOrderNumber: "ST-000007",
        }),
        line({ time: at(4), service: "warehouse-api", level: "info", correlationId: "move-1", msg: "order status changed" }),
        line({
          time: at(6),
          service: "warehouse-api",
          level: "info",
          correlationId: "other",
          msg: "order received",
          storeOrderNumber: "ST-000070",
        }),
      ],
    });
    const files = await logFiles(dir);

    const ids = await correlationIdsOfOrder(files, "ST-000007");
    expect([...ids].sort()).toEqual(["checkout", "move-1"]);
    const story = await collectTimeline(files, ids);
    expect(story.map((entry) => `${entry.service} ${entry.msg}`)).toEqual([
      "store-web checkout: sending",
      "warehouse-api order received",
      "store-web request completed",
      "warehouse-api order status changed",
      "store-web status event applied",
    ]);
  });
});
