/**
 * The services write JSON lines (the files under data/logs keep them as written, for `npm run trace` and
 * for whatever collects logs in production). A person at a terminal reads them through this instead:
 * time, level, service, correlation ID, message, and the line's other fields on the same line.
 */
import { prettyFactory } from "pino-pretty";

type LogLine = Record<string, unknown>;

const SERVICE_WIDTH = "warehouse-api".length;

export function readableLogs({ colorize }: { colorize: boolean }): (service: string, line: string) => string {
  const pretty = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname,service,correlationId",
    messageFormat: (log: LogLine, messageKey: string) => {
      const text = (value: unknown) => (typeof value === "string" ? value : "");
      const id = text(log.correlationId) && `[${text(log.correlationId)}] `;
      return `${text(log.service).padEnd(SERVICE_WIDTH)} ${id}${text(log[messageKey])}`;
    },
  });
  return (service, line) => {
    // What is not a log line (a crash's stack trace, a library's warning) is shown as it came, labelled.
    if (!line.startsWith("{")) return `${service.padEnd(SERVICE_WIDTH)} | ${line}`;
    return pretty(line).trimEnd();
  };
}
