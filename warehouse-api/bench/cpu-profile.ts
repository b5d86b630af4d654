// A text summary of a V8 .cpuprofile (what `node --cpu-prof` writes), for `npm run bench -- --profile`:
// where a server's CPU time goes, by function and by package, in µs per request, without opening DevTools.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const IDLE = new Set(["(idle)", "(root)"]);
const RUNTIME = "runtime";

/** The main thread's profile in `dir` (--cpu-prof also writes one for tsx's loader thread: CPU.<date>.<time>.<pid>.<thread>.<seq>). */
export function mainThreadProfile(dir: string): string | undefined {
  const file = readdirSync(dir).find((name) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  return file ? join(dir, file) : undefined;
}

/** Which package (or part of the repo) a frame belongs to: the unit a fix would be aimed at. */
function area(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "(garbage collector)";
  if (!url || url.startsWith("node:")) return RUNTIME;
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules?.[1]) return inModules[1];
  const inRepo = /\/(warehouse-api\/(?:src|bench)\/[^/]+|packages\/[^/]+)/.exec(url);
  return inRepo?.[1] ?? url;
}

function where(frame: CallFrame): string {
  const short = frame.url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*\/(warehouse-api|packages)\//, "$1/");
  return `${frame.functionName || "(anonymous)"} ${short ? `${short}:${frame.lineNumber + 1}` : ""}`.trim();
}

export function summariseCpuProfile(file: string, requests: number, limit = 15): string[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  const selfByFunction = new Map<string, number>();
  // Node's own code and native calls (socket writes, SQLite, fs) are charged to the nearest package that
  // called them, so "pino" includes its file writes and "drizzle-orm" the statements it prepares.
  const byCaller = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, micros: number) => map.set(key, (map.get(key) ?? 0) + micros);
  let busy = 0;

  profile.samples.forEach((id, i) => {
    const node = nodes.get(id);
    const micros = profile.timeDeltas[i + 1] ?? 0;
    if (!node || IDLE.has(node.callFrame.functionName)) return;
    busy += micros;
    add(selfByFunction, where(node.callFrame), micros);
    let caller = RUNTIME;
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = nodes.get(at)?.callFrame;
      const name = frame ? area(frame) : RUNTIME;
      if (name !== RUNTIME) {
        caller = name;
        break;
      }
    }
    add(byCaller, caller, micros);
  });

  const top = (totals: Map<string, number>, n: number) =>
    [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([name, micros]) =>
          `  ${(micros / requests).toFixed(1).padStart(6)} µs/req ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${name}`,
      );

  return [
    `  busy ${(busy / 1000).toFixed(0)} ms over ${requests} requests = ${(busy / requests).toFixed(0)} µs/req ` +
      "(whole process: start-up and warm-up included, idle excluded)",
    `  top ${limit} functions by self time:`,
    ...top(selfByFunction, limit).map((line) => `  ${line}`),
    "  by package, with runtime and native time charged to the package that called it:",
    ...top(byCaller, Math.max(12, limit)).map((line) => `  ${line}`),
  ];
}
