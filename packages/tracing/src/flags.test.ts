import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { context, propagation, ROOT_CONTEXT } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  contextWithFlags,
  currentFlags,
  FLAGS_ATTRIBUTE,
  FLAGS_BAGGAGE,
  flagsFromHeaders,
  flagsIn,
  flagsValueIn,
  parseFlags,
  readFlags,
  runWithFlags,
  serialiseFlags,
} from "./flags.js";
import { createLogger, runWithCorrelationId } from "./logger.js";
import { startTracing } from "./otel.js";
import { contextFrom, inSpan, traceHeaders } from "./spans.js";

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  startTracing({ serviceName: "test-service", exporter });
});
beforeEach(() => {
  exporter.reset();
});

const withEntry = (value: string) =>
  propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ [FLAGS_BAGGAGE]: { value }, other: { value: "kept" } }));

describe("parseFlags", () => {
  it("reads the known flags of a well-formed entry, each once, and ignores the names it does not know", () => {
    expect(parseFlags("priority-lane")).toEqual({ flags: ["priority-lane"] });
    expect(parseFlags("gift-wrap+priority-lane+priority-lane")).toEqual({ flags: ["priority-lane"] });
    expect(parseFlags("gift-wrap+dark-mode-2")).toEqual({ flags: [] });
    expect(parseFlags(undefined)).toEqual({ flags: [] });
    expect(parseFlags("")).toEqual({ flags: [] });
  });

  it.each([
    ["Priority-Lane"],
    ["priority-lane,gift-wrap"],
    ["priority-lane|gift-wrap"],
    ["priority lane"],
    ["priority-lane+"],
    ["+priority-lane"],
    ["-priority-lane"],
    ["priority--lane"],
    ["priority-lane\r\nforged: line"],
    ["\u001b[31mpriority-lane"],
    ["priority-lane+" + "x".repeat(300)],
  ])("drops a malformed entry (%j) whole and keeps only its length", (value) => {
    const parsed = parseFlags(value);
    expect(parsed).toEqual({ flags: [], malformed: { length: value.length } });
    expect(JSON.stringify(parsed)).not.toContain("priority-lane");
  });

  it("writes the flags in one order, each once, and nothing for none", () => {
    expect(serialiseFlags(["priority-lane", "priority-lane"])).toBe("priority-lane");
    expect(serialiseFlags([])).toBe("");
  });

  it("never throws, whatever the value", () => {
    for (let i = 0; i < 2000; i++) {
      const value = Array.from({ length: Math.floor(Math.random() * 40) }, () =>
        String.fromCharCode(Math.floor(Math.random() * 0x3000)),
      ).join("");
      expect(() => parseFlags(value)).not.toThrow();
    }
  });
});

describe("flags in a request's context", () => {
  it("sends the flags in scope in the baggage header beside the correlation ID, and none outside it", () => {
    let inside: Record<string, string> = {};
    runWithCorrelationId("ref-1", () => {
      runWithFlags(["priority-lane"], () => {
        inside = traceHeaders();
        expect(currentFlags()).toEqual(["priority-lane"]);
      });
    });
    expect(inside.baggage?.split(",").sort()).toEqual(["fishtag.correlation_id=ref-1", "fishtag.flags=priority-lane"]);
    expect(currentFlags()).toEqual([]);
  });

  it("replaces whatever flags the context had: no flags means no entry", () => {
    const headers = context.with(withEntry("priority-lane"), () => runWithFlags([], () => traceHeaders()));
    expect(headers.baggage).toBe("other=kept");
  });

  it("puts the flags on the span in scope and on every span begun inside, and on none without flags", () => {
    inSpan("action", {}, () => {
      runWithFlags(["priority-lane"], () => {
        inSpan("call", {}, () => undefined);
      });
      inSpan("unflagged", {}, () => undefined);
    });
    const byName = Object.fromEntries(exporter.getFinishedSpans().map((span) => [span.name, span.attributes[FLAGS_ATTRIBUTE]]));
    expect(byName).toEqual({ call: "priority-lane", action: "priority-lane", unflagged: undefined });
  });

  it("puts the flags on each log line written in their scope", () => {
    const file = join(mkdtempSync(join(tmpdir(), "flags-")), "test.log");
    const logger = createLogger({ service: "test-service", level: "info", file, stdout: false });
    runWithFlags(["priority-lane"], () => {
      logger.info("flagged");
    });
    logger.info("plain");
    const [flagged, plain] = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(flagged).toMatchObject({ msg: "flagged", flags: "priority-lane" });
    expect(plain).not.toHaveProperty("flags");
  });

  it("gives spans and log lines the known flags of an entry, never a malformed one raw, however many values callers send", () => {
    // More distinct values than are remembered, each read twice: the second read is as right as the first.
    for (let i = 0; i < 200; i++) {
      for (let read = 0; read < 2; read++) {
        expect(flagsValueIn(withEntry(`from-a-newer-peer-${String(i)}+priority-lane`))).toBe("priority-lane");
        expect(flagsValueIn(withEntry(`NOT A FLAG ${String(i)}`))).toBe("");
      }
    }
    expect(flagsValueIn(ROOT_CONTEXT)).toBe("");
  });

  it("reads a caller's flags from its baggage: known ones kept, a malformed entry dropped, saying only how long it was", () => {
    expect(readFlags(withEntry("gift-wrap+priority-lane"))).toEqual({ flags: ["priority-lane"] });
    expect(readFlags(withEntry("priority-lane\nx"))).toEqual({ flags: [], malformed: { length: 15 } });
    expect(readFlags(ROOT_CONTEXT)).toEqual({ flags: [] });
    // Run with what was read, the request's baggage holds only that, and keeps the rest.
    const headers = context.with(withEntry("priority-lane\nx"), () => runWithFlags(readFlags().flags, () => traceHeaders()));
    expect(headers.baggage).toBe("other=kept");
    expect(flagsIn(contextWithFlags(withEntry("priority-lane"), []))).toEqual([]);
  });

  it("reads the flags back from a header as the propagator wrote it (`+` percent-encoded), or as a person would type it", () => {
    const written = context.with(contextWithFlags(ROOT_CONTEXT, ["priority-lane"]), () => traceHeaders());
    expect(flagsFromHeaders(new Headers(written)).flags).toEqual(["priority-lane"]);
    expect(flagsFromHeaders(new Headers({ baggage: "a=1, fishtag.flags = gift-wrap%2Bpriority-lane;prop=x" })).flags).toEqual([
      "priority-lane",
    ]);
    expect(flagsFromHeaders(new Headers({ baggage: "fishtag.flags=priority-lane+gift-wrap" })).flags).toEqual(["priority-lane"]);
    expect(flagsFromHeaders(new Headers({ baggage: "fishtag.flags=%E0%A4%A" }))).toEqual({ flags: [] });
    expect(flagsFromHeaders(new Headers({ baggage: "fishtag.flags=no%0Away" }))).toEqual({ flags: [], malformed: { length: 6 } });
    expect(flagsFromHeaders(new Headers())).toEqual({ flags: [] });
  });

  it("continues a caller's trace with its flags, through the process's propagator", () => {
    const caller = contextFrom({
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      baggage: "fishtag.flags=priority-lane",
    });
    expect(flagsIn(caller)).toEqual(["priority-lane"]);
  });
});
