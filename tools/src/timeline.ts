import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** One log line of either service, as pino wrote it. */
export type LogEntry = {
  time: string;
  service: string;
  level: string;
  msg: string;
  correlationId: string;
  [field: string]: unknown;
};

function isEntry(value: unknown): value is LogEntry {
  if (typeof value !== "object" || value === null) return false;
  const { time, service, level, msg, correlationId } = value as Record<string, unknown>;
  return [time, service, level, msg, correlationId].every((field) => typeof field === "string");
}

/** The `.log` files of a folder, or the file itself. */
export async function logFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const names = await readdir(path);
  return names.filter((name) => name.endsWith(".log")).map((name) => join(path, name));
}

/** Every line of these files that carries one of `correlationIds`, oldest first. Reads line by line, so big files are fine. */
export function collectTimeline(files: string[], correlationIds: string | ReadonlySet<string>): Promise<LogEntry[]> {
  const ids = typeof correlationIds === "string" ? new Set([correlationIds]) : correlationIds;
  return collect(files, ids, (entry) => ids.has(entry.correlationId));
}

/** Every line written in a span of these traces (its trace_id), oldest first. */
export function collectTraceLines(files: string[], traceIds: ReadonlySet<string>): Promise<LogEntry[]> {
  return collect(files, traceIds, (entry) => typeof entry.trace_id === "string" && traceIds.has(entry.trace_id));
}

async function collect(files: string[], needles: ReadonlySet<string>, keep: (entry: LogEntry) => boolean): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for (const file of files) {
    for await (const entry of entriesOf(file, (line) => [...needles].some((needle) => line.includes(needle)))) {
      if (keep(entry)) entries.push(entry);
    }
  }
  // ISO timestamps sort as strings; the sort is stable, so lines of one file keep their order on ties.
  return entries.sort((a, b) => a.time.localeCompare(b.time));
}

/**
 * The requests that made an order's story, found by the store's order number (ST-000123): each service
 * names the order by it on the lines that matter (the checkout, the delivery, order received, every
 * status change and the event that told the store), so their correlation IDs lead to the rest.
 */
export async function correlationIdsOfOrder(files: string[], orderNumber: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const file of files) {
    for await (const entry of entriesOf(file, (line) => line.includes(orderNumber))) {
      if (entry.orderNumber === orderNumber || entry.storeOrderNumber === orderNumber) ids.add(entry.correlationId);
    }
  }
  return ids;
}

/** The log entries of a file whose raw line passes `worth`: a cheap substring test before any JSON parse. */
async function* entriesOf(file: string, worth: (line: string) => boolean): AsyncGenerator<LogEntry> {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!worth(line)) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // a torn last line from a killed process, or pretty output
    }
    if (isEntry(parsed)) yield parsed;
  }
}

const QUIET_FIELDS = new Set(["time", "service", "level", "msg", "correlationId", "trace_id", "span_id", "pid", "hostname"]);

/** A log line's message with its fields (an access line as method, path, status and duration). */
export function describeEntry(entry: LogEntry): string {
  const { method, path, status, durationMs } = entry;
  if (typeof method === "string" && typeof path === "string" && typeof status === "number") {
    return `${entry.msg}: ${method} ${path} → ${status} in ${String(durationMs)} ms`;
  }
  const details = Object.entries(entry)
    .filter(([key]) => !QUIET_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return details.length ? `${entry.msg} (${details.join(", ")})` : entry.msg;
}

// Log fields can hold text a client chose (a reference, a name). In the JSON file it is escaped; printed
// to a terminal it is not, so control characters would fake lines or recolour the screen.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

export const printable = (text: string) => text.replace(CONTROL_CHARACTERS, "\uFFFD");

/** The timeline as aligned text: time, service, level, message. */
/**
 * One line per entry. With `requests`, for an order's story, a heading names the request (its correlation
 * ID) wherever the lines pass from one request to another.
 */
export function formatTimeline(entries: LogEntry[], { requests = false }: { requests?: boolean } = {}): string {
  const serviceWidth = Math.max(...entries.map((entry) => entry.service.length));
  const lines: string[] = [];
  let previous: string | undefined;
  for (const entry of entries) {
    if (requests && entry.correlationId !== previous)
      lines.push(`${previous === undefined ? "" : "\n"}request ${printable(entry.correlationId)}`);
    previous = entry.correlationId;
    lines.push(
      printable([entry.time, entry.service.padEnd(serviceWidth), entry.level.toUpperCase().padEnd(5), describeEntry(entry)].join("  ")),
    );
  }
  return lines.join("\n");
}
