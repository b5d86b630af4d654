import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { createLogger, runWithCorrelationId } from "./logger.js";

function readLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("createLogger", () => {
  it("stamps the service on every line and the correlation ID on lines written in a request's scope", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tracing-")), "logs", "test.log");
    const logger = createLogger({ service: "test-service", level: "info", file, stdout: false });

    logger.info("outside any request");
    await runWithCorrelationId("req-1", async () => {
      await Promise.resolve();
      logger.warn({ password: "hunter2" }, "inside, after an await");
    });

    const [outside, inside] = readLines(file);
    expect(outside).toMatchObject({ service: "test-service", level: "info", msg: "outside any request" });
    expect(outside).not.toHaveProperty("correlationId");
    expect(inside).toMatchObject({ service: "test-service", level: "warn", correlationId: "req-1", password: "[redacted]" });
  });
});
