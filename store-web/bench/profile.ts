// The store's CPU profile (what `node --cpu-prof` wrote) as text, for `npm run bench:checkout -- --profile`.
// The store runs minified bundles (Next's runtime, and the app's chunks in .next/server), so each frame is
// first taken back to its source through the bundle's source map: the names and files below are the ones
// in the repository and in node_modules, not chunk names.

import { existsSync, readFileSync } from "node:fs";
import { SourceMap, type SourceMapping } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** A frame as the source has it: the function's name, where it is, and the part of the stack it is in. */
type Frame = { name: string; where: string; area: string; ours: boolean };

const IDLE = new Set(["(idle)", "(root)", "(program)"]);
const RUNTIME = "node runtime";

const sourceMaps = new Map<string, SourceMap | undefined>();

function sourceMapOf(file: string): SourceMap | undefined {
  if (!sourceMaps.has(file)) {
    const map = `${file}.map`;
    sourceMaps.set(file, existsSync(map) ? new SourceMap(JSON.parse(readFileSync(map, "utf8")) as never) : undefined);
  }
  return sourceMaps.get(file);
}

/** A file as a path from the repository (store-web/src/…, packages/…) or from node_modules (next/…, pino/…). */
function repoPath(path: string): string {
  return path.replace(/^.*?\/(node_modules\/|store-web\/|packages\/|warehouse-api\/)/, "$1");
}

/** Where a source map's source is: Next's runtime was built with webpack (webpack://next/./dist/…), the app with turbopack. */
function sourcePath(source: string, mapFile: string): string {
  const webpack = /^webpack:\/\/([^/]+)\/(?:\.\/)?(.*)$/.exec(source);
  if (webpack) return `node_modules/${webpack[1] ?? ""}/${webpack[2] ?? ""}`;
  if (source.startsWith("turbopack:")) return `turbopack runtime ${source.replace(/^turbopack:\/*/, "")}`;
  return repoPath(source.startsWith("file://") ? fileURLToPath(source) : resolve(dirname(mapFile), decodeURIComponent(source)));
}

/** What a fix would be aimed at: a folder of the store, one of our packages, or a package from npm. */
function areaOf(path: string): { area: string; ours: boolean } {
  const compiled = /^node_modules\/next\/dist\/compiled\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (compiled && compiled[1] !== "next-server") return { area: `${compiled[1] ?? ""} (in next)`, ours: false };
  const npm = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (npm) return { area: npm[1] ?? path, ours: false };
  const store = /^store-web\/(?:src\/([^/.]+)|([^/]+))/.exec(path);
  if (store) return { area: `store-web/${store[1] ? `src/${store[1]}` : (store[2] ?? "")}`, ours: true };
  const pkg = /^packages\/([^/]+)/.exec(path);
  if (pkg) return { area: `@fishtag/${pkg[1] ?? ""}`, ours: true };
  if (path.startsWith("turbopack runtime")) return { area: "turbopack runtime", ours: false };
  return { area: path, ours: false };
}

function frameOf({ functionName, url, lineNumber, columnNumber }: CallFrame): Frame {
  if (functionName === "(garbage collector)") return { name: functionName, where: "", area: functionName, ours: false };
  if (!url.startsWith("file://") && !url.startsWith("/"))
    return { name: functionName || "(anonymous)", where: url, area: RUNTIME, ours: false };
  const file = url.startsWith("file://") ? fileURLToPath(url) : url;
  // Node 20 gives the mapping's name too; its types do not say so yet.
  const entry = sourceMapOf(file)?.findEntry(lineNumber, columnNumber) as
    (SourceMapping & { name?: string }) | Record<string, never> | undefined;
  const mapped = entry && typeof entry.originalSource === "string" ? entry : undefined;
  const path = mapped ? sourcePath(mapped.originalSource, file) : repoPath(file);
  const line = mapped ? mapped.originalLine + 1 : lineNumber + 1;
  // A minified bundle's own names are letters: the source map's name for the position is the real one.
  const name = (mapped?.name ?? "") || functionName || "(anonymous)";
  // A package's own map may point anywhere (../src/…): the package is the one the running file is in,
  // except for what Next compiled into its runtime (react-dom and others), which its map tells apart.
  const generated = repoPath(file);
  const inPackage = generated.startsWith("node_modules/") && !generated.startsWith("node_modules/next/dist/compiled/");
  return { name, where: `${path}:${line}`, ...areaOf(inPackage ? generated : path) };
}

/**
 * Where the store's busy time went, as percentages of it: the functions with the most self time; by
 * area, with Node's own code and native calls charged to the area that called them (so "pino" includes
 * its writes); and the store's own functions (ours) by the time spent in them and everything they
 * called, which says which request step costs what.
 */
export function summariseStoreProfile(file: string, limit = 20): string[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const frames = new Map(profile.nodes.map((node) => [node.id, frameOf(node.callFrame)]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const idle = new Set(profile.nodes.filter((node) => IDLE.has(node.callFrame.functionName)).map((node) => node.id));

  const self = new Map<string, number>();
  const byArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (totals: Map<string, number>, key: string, micros: number) => totals.set(key, (totals.get(key) ?? 0) + micros);
  let busy = 0;

  profile.samples.forEach((id, i) => {
    const frame = frames.get(id);
    const micros = profile.timeDeltas[i + 1] ?? 0;
    if (!frame || idle.has(id)) return;
    busy += micros;
    add(self, `${frame.name} ${frame.where}`, micros);
    let caller: string | undefined;
    // Each of our functions once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const up = frames.get(at);
      if (!up) continue;
      if (caller === undefined && up.area !== RUNTIME) caller = up.area;
      const key = `${up.name} ${up.where}`;
      if (up.ours && !seen.has(key)) {
        seen.add(key);
        add(inclusive, key, micros);
      }
    }
    add(byArea, caller ?? RUNTIME, micros);
  });

  const top = (totals: Map<string, number>, n: number) =>
    [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => `    ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `  busy ${(busy / 1000).toFixed(0)} ms (the whole process: start-up, warm-up and every round; idle left out)`,
    `  top ${limit} functions by self time:`,
    ...top(self, limit),
    "  by area, Node's own and native time charged to the area that called it:",
    ...top(byArea, limit),
    "  the store's own functions, with everything they called:",
    ...top(inclusive, limit),
  ];
}
