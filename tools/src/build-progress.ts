/**
 * `npm start`'s build: `turbo run build`, shown as progress instead of the whole of every tool's output.
 * One line per package (built, or unchanged since the last build), Next's own steps for the store, and
 * the time taken. The whole output goes to data/logs/build.log; if the build fails, the failing
 * packages' output is printed too.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { LOG_DIR, REPO_ROOT } from "./paths.js";

const TASK_LINE = /^(?<task>[@\w/.-]+):build: ?(?<text>.*)$/;
/** The steps `next build` announces, worth a line each: it is most of the first build's minute. */
const NEXT_STEP =
  /^\s*(✓ Compiled|Creating an optimized|Running TypeScript|Finished TypeScript|Generating static pages using|✓ Generating)/;

export type BuildEvent =
  | { type: "cached"; task: string }
  | { type: "building"; task: string }
  | { type: "step"; task: string; text: string }
  | { type: "output"; task: string; text: string }
  /** turbo's summary at the end of a failed run. */
  | { type: "failed"; tasks: string[] };

/** What one line of turbo's output (with --output-logs=new-only --log-order=stream) says about the build. */
export function buildEvent(line: string): BuildEvent | undefined {
  const failed = /^\s*Failed:\s+(.+)$/.exec(line)?.[1];
  if (failed) return { type: "failed", tasks: failed.split(/[\s,]+/).map((task) => task.replace(/#build$/, "")) };
  const match = TASK_LINE.exec(line);
  if (!match?.groups) return undefined;
  const { task = "", text = "" } = match.groups;
  if (text.startsWith("cache hit")) return { type: "cached", task };
  if (text.startsWith("cache miss")) return { type: "building", task };
  if (NEXT_STEP.test(text)) return { type: "step", task, text: text.trim() };
  return { type: "output", task, text };
}

export async function buildWithProgress(): Promise<boolean> {
  mkdirSync(LOG_DIR, { recursive: true });
  const logPath = join(LOG_DIR, "build.log");
  const log = createWriteStream(logPath);
  const started = performance.now();
  console.log("\n  Building (the first build takes a minute or two; later ones only rebuild what changed)\n");

  const turbo = spawn("npx", ["turbo", "run", "build", "--output-logs=new-only", "--log-order=stream"], {
    cwd: REPO_ROOT,
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const outputOf = new Map<string, string[]>();
  const failedTasks: string[] = [];
  for (const stream of [turbo.stdout, turbo.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
      log.write(`${line}\n`);
      const event = buildEvent(line);
      if (!event) return;
      if (event.type === "failed") failedTasks.push(...event.tasks);
      else if (event.type === "cached") console.log(`  ✓ ${event.task}  unchanged`);
      else if (event.type === "building") console.log(`  … ${event.task}  building`);
      else if (event.type === "step") console.log(`      ${event.text}`);
      if (event.type === "output" || event.type === "step") outputOf.set(event.task, [...(outputOf.get(event.task) ?? []), event.text]);
    });
  }
  const code = await new Promise<number>((resolve) => {
    turbo.once("close", (exitCode) => {
      resolve(exitCode ?? 1);
    });
  });
  await new Promise((resolve) => log.end(resolve));

  if (code === 0) {
    console.log(`\n  Built in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    return true;
  }
  for (const task of failedTasks) console.error([`\n  ${task} failed to build:`, ...(outputOf.get(task) ?? [])].join("\n"));
  console.error(`\n  The build failed (exit code ${String(code)}). Its whole output is in ${logPath}\n`);
  return false;
}
