import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

/**
 * The modules a file loads before any of its code runs: its static imports (not `import type`, which
 * leaves nothing behind), and theirs, for the tool's own relative modules.
 */
function staticImports(file: URL, seen = new Set<string>()): string[] {
  if (seen.has(file.href)) return [];
  seen.add(file.href);
  const source = readFileSync(fileURLToPath(file), "utf8");
  const specifiers = [...source.matchAll(/^import (?!type )[^;]*?from "([^"]+)";/gms)].map((match) => match[1] ?? "");
  return specifiers.flatMap((specifier) =>
    specifier.startsWith("./") ? [specifier, ...staticImports(new URL(specifier.replace(/\.js$/, ".ts"), file), seen)] : [specifier],
  );
}

describe("npm start on a fresh clone", () => {
  // start.ts builds the workspace packages itself; their modules are that build's output (dist/), so a
  // static import of one fails on a clone where nothing is built yet, before the build can run.
  it("loads no workspace package before its build has run", () => {
    const imports = staticImports(new URL("./start.ts", import.meta.url));

    expect(imports).toContain("./build-progress.js");
    expect(imports.filter((specifier) => specifier.startsWith("@fishtag/"))).toEqual([]);
  });
});
