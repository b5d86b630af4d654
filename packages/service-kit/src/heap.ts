import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the heap grow past what survived the last full collection before it collects again, in
 * percent. V8 picks the factor itself (up to 4× on a machine with memory to spare), and a service under
 * load then carries several times its live data: in `npm run bench:checkout` the store, about 70 MB live,
 * let its heap grow to 280 MB and its RSS to 450 MB; at 20% its RSS stays near 250 MB, for one or two more
 * points of CPU spent collecting (README "Benchmarks").
 */
export const HEAP_GROWING_PERCENT = 20;

const FLAG = "--heap-growing-percent";

/**
 * Keeps the heap within HEAP_GROWING_PERCENT of its live size. V8 reads the factor at each collection, so
 * setting it at start-up takes effect for the whole run. A `--heap-growing-percent` given to node on the
 * command line wins: whoever runs the service can trade memory for fewer collections. (The parameters are
 * for tests.)
 */
export function limitHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  setFlag: (flag: string) => void = setFlagsFromString,
): void {
  // V8 takes its flags with dashes or underscores.
  if (execArgv.some((arg) => arg.replaceAll("_", "-").startsWith(FLAG))) return;
  setFlag(`${FLAG}=${HEAP_GROWING_PERCENT}`);
}
