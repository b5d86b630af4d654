/**
 * The services write JSON lines (the files under data/logs keep them as written, for `npm run trace` and
 * for whatever collects logs in production). A person at a terminal reads them through this instead:
 * time, level, service, correlation ID, message, and the line's other fields on the same line.
 */
import { prettyFactory } from "pino-pretty";

type LogLine = Record<string, unknown>;

const SERVICE_WIDTH = "warehouse-api".length;

/**
 * An API read answered fine: every open order page and dashboard asks one every second or two, and a line
 * each would scroll everything else away. The terminal leaves them out; the files keep them.
 */
function isPolledRead(line: string): boolean {
  let log: LogLine;
  try {
    log = JSON.parse(line) as LogLine;
  } catch {
    return false;
  }
  return (
    log.msg === "request completed" &&
    log.method === "GET" &&
    typeof log.path === "string" &&
    log.path.startsWith("/api/") &&
    typeof log.status === "number" &&
    log.status < 400
  );
}

/** A JSON line as a person reads it, or undefined for a line the terminal leaves out (isPolledRead). */
export function readableLogs({ colorize }: { colorize: boolean }): (service: string, line: string) => string | undefined {
  const pretty = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: "SYS:HH:MM:ss",
    // Trace and span ids are for the tools (npm run trace, a trace backend), not for reading.
    ignore: "pid,hostname,service,correlationId,trace_id,span_id",
    messageFormat: (log: LogLine, messageKey: string) => {
      const text = (value: unknown) => (typeof value === "string" ? value : "");
      const id = text(log.correlationId) && `[${text(log.correlationId)}] `;
      return `${text(log.service).padEnd(SERVICE_WIDTH)} ${id}${text(log[messageKey])}`;
    },
  });
  return (service, line) => {
    // What is not a log line (a crash's stack trace, a library's warning) is shown as it came, labelled.
    if (!line.startsWith("{")) return `${service.padEnd(SERVICE_WIDTH)} | ${line}`;
    if (isPolledRead(line)) return undefined;
    return pretty(line).trimEnd();
  };
}
