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

describe("secrets in log lines", () => {
  it("are censored in a line's own fields and one level down, without changing what the caller logged", () => {
    const file = join(mkdtempSync(join(tmpdir(), "tracing-")), "secrets.log");
    const logger = createLogger({ service: "test-service", level: "info", file, stdout: false });
    const headers = { authorization: "Bearer eyJ.secret", cookie: "fishtag_session=abc", accept: "application/json" };
    const fields = { password: "hunter2", headers, user: { email: "ada@example.com", password: "hunter2" }, tags: ["password"] };

    logger.info(fields, "everything at once");

    const [line] = readLines(file);
    expect(line).toMatchObject({
      password: "[redacted]",
      headers: { authorization: "[redacted]", cookie: "[redacted]", accept: "application/json" },
      user: { email: "ada@example.com", password: "[redacted]" },
      tags: ["password"],
    });
    expect(readFileSync(file, "utf8")).not.toMatch(/hunter2|eyJ\.secret|fishtag_session/);
    // The objects the caller still holds keep their values.
    expect(fields.password).toBe("hunter2");
    expect(headers.authorization).toBe("Bearer eyJ.secret");
    expect(fields.user.password).toBe("hunter2");
  });

  it("are censored in a child logger's bindings, and in an Error, which keeps its message and stack", () => {
    const file = join(mkdtempSync(join(tmpdir(), "tracing-")), "secrets.log");
    const logger = createLogger({ service: "test-service", level: "info", file, stdout: false });
    const error = Object.assign(new Error("sign-in failed"), { password: "hunter2" });

    logger.child({ cookie: "fishtag_session=abc", route: "/api/session" }).error({ err: error }, "with bindings");

    const [line] = readLines(file);
    expect(line).toMatchObject({ cookie: "[redacted]", route: "/api/session", err: { message: "sign-in failed", password: "[redacted]" } });
    expect(line?.err).toHaveProperty("stack");
    expect(readFileSync(file, "utf8")).not.toMatch(/hunter2|fishtag_session/);
  });
});
