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

/** Every line of these files that carries `correlationId`, oldest first. Reads line by line, so big files are fine. */
export async function collectTimeline(files: string[], correlationId: string): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
    for await (const line of lines) {
      // Cheap substring test first: most lines belong to other requests and need no JSON parse.
      if (!line.includes(correlationId)) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // a torn last line from a killed process, or pretty output
      }
      if (isEntry(parsed) && parsed.correlationId === correlationId) entries.push(parsed);
    }
  }
  // ISO timestamps sort as strings; the sort is stable, so lines of one file keep their order on ties.
  return entries.sort((a, b) => a.time.localeCompare(b.time));
}

const QUIET_FIELDS = new Set(["time", "service", "level", "msg", "correlationId", "pid", "hostname"]);

function describe(entry: LogEntry): string {
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

const printable = (text: string) => text.replace(CONTROL_CHARACTERS, "\uFFFD");

/** The timeline as aligned text: time, service, level, message. */
export function formatTimeline(entries: LogEntry[]): string {
  const serviceWidth = Math.max(...entries.map((entry) => entry.service.length));
  return entries
    .map((entry) =>
      printable([entry.time, entry.service.padEnd(serviceWidth), entry.level.toUpperCase().padEnd(5), describe(entry)].join("  ")),
    )
    .join("\n");
}
