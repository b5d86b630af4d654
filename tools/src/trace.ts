/**
 * Follow one correlation ID across both services:
 *
 *   npm run trace -- <correlationId> [--logs <file-or-folder>]...
 *
 * Reads the JSON log files (by default those `npm start` writes to ./data/logs) and prints one
 * time-ordered timeline of every line either service wrote for that ID.
 */
import { parseArgs } from "node:util";

import { isValidCorrelationId } from "@fishtag/tracing/correlation";

import { LOG_DIR } from "./paths.js";
import { collectTimeline, formatTimeline, logFiles } from "./timeline.js";

const USAGE = "usage: npm run trace -- [--logs <file-or-folder>]... [--] <correlationId>";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { logs: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    // e.g. an ID that starts with "-": it has to come after "--" to be read as an ID.
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [correlationId] = positionals;
  if (values.help || correlationId === undefined || positionals.length > 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  if (!isValidCorrelationId(correlationId)) {
    console.error("That is not a correlation ID: 1–128 characters of letters, digits and . _ : -");
    return 2;
  }

  const sources = values.logs ?? [LOG_DIR];
  const files = (await Promise.all(sources.map((source) => logFiles(source).catch(() => [])))).flat();
  if (files.length === 0) {
    console.error(`No log files in ${sources.join(", ")}. Start the system with \`npm start\` first, or pass --logs.`);
    return 1;
  }

  const entries = await collectTimeline(files, correlationId);
  if (entries.length === 0) {
    console.error(`No lines for ${correlationId} in ${files.length} log file(s).`);
    return 1;
  }
  const services = [...new Set(entries.map((entry) => entry.service))];
  console.log(`${correlationId}: ${entries.length} lines from ${services.join(" and ")}\n`);
  console.log(formatTimeline(entries));
  return 0;
}

process.exitCode = await main();
