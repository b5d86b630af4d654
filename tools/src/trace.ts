/**
 * Follow one correlation ID, or one order, across both services:
 *
 *   npm run trace -- <correlationId | ST-000123> [--logs <file-or-folder>]...
 *
 * Reads the JSON log files (by default those `npm start` writes to ./data/logs) and prints one
 * time-ordered timeline of every line either service wrote for that ID, or for every request that
 * touched that order (the checkout, a late delivery, each staff move and the event that told the store).
 */
import { parseArgs } from "node:util";

import { isValidCorrelationId } from "@fishtag/tracing/correlation";

import { LOG_DIR } from "./paths.js";
import { collectTimeline, correlationIdsOfOrder, formatTimeline, logFiles } from "./timeline.js";

const USAGE = "usage: npm run trace -- [--logs <file-or-folder>]... [--] <correlationId | ST-000123>";

/** The store's order numbers, as customers quote them (any case). */
const ORDER_NUMBER = /^ST-\d{6,}$/i;

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
  const [wanted] = positionals;
  if (values.help || wanted === undefined || positionals.length > 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const orderNumber = ORDER_NUMBER.test(wanted) ? wanted.toUpperCase() : undefined;
  if (!orderNumber && !isValidCorrelationId(wanted)) {
    console.error("That is not a correlation ID: 1–128 characters of letters, digits and . _ : -");
    return 2;
  }

  const sources = values.logs ?? [LOG_DIR];
  const files = (await Promise.all(sources.map((source) => logFiles(source).catch(() => [])))).flat();
  if (files.length === 0) {
    console.error(`No log files in ${sources.join(", ")}. Start the system with \`npm start\` first, or pass --logs.`);
    return 1;
  }

  const ids = orderNumber ? await correlationIdsOfOrder(files, orderNumber) : new Set([wanted]);
  const entries = ids.size > 0 ? await collectTimeline(files, ids) : [];
  if (entries.length === 0) {
    console.error(`No lines for ${orderNumber ?? wanted} in ${files.length} log file(s).`);
    return 1;
  }
  const services = [...new Set(entries.map((entry) => entry.service))];
  const across = orderNumber ? `, ${ids.size} ${ids.size === 1 ? "request" : "requests"}` : "";
  console.log(`${orderNumber ?? wanted}: ${entries.length} lines from ${services.join(" and ")}${across}\n`);
  console.log(formatTimeline(entries, { requests: orderNumber !== undefined }));
  return 0;
}

process.exitCode = await main();
