// The plumbing both benchmarks share (bench/create-order.ts with bench/server.ts, bench/list-orders.ts with
// bench/list-server.ts): the parent reads its flags, forks its servers as child processes and leaves none
// behind however the run ends; each child times the rounds the parent asks for. What goes over IPC is in
// protocol.ts.

import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

import { buildSync } from "esbuild";

import { isMessage, type Message, type ParentMessage, type RoundMessage } from "./protocol.js";

const CHILD_TIMEOUT_MS = 30_000;

// ---- the parent's side ------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

/** The parent's end of one child, typed by the messages `M` that child sends. */
export type Link<M extends Message> = {
  label: string;
  child: ChildProcess;
  tell: (message: ParentMessage) => void;
  /** The child's next message of this type; rejects if it does not come within `timeoutMs` or the child exits. */
  waitFor: <T extends M["type"]>(type: T, timeoutMs?: number) => Promise<Extract<M, { type: T }>>;
};

/**
 * `script` bundled to plain JavaScript (packages left as imports), as production runs the service: under
 * tsx a server would carry its loader, about 33 MB of memory and a few percent of CPU the service never
 * has. Written next to the script, so that its imports resolve as the script's do.
 */
function compiled(script: string): string {
  const outfile = join(dirname(script), ".out", `${basename(script, ".ts")}.mjs`);
  buildSync({ entryPoints: [script], outfile, bundle: true, platform: "node", format: "esm", packages: "external", logLevel: "warning" });
  return outfile;
}

/** Forks `script` (compiled), sharing this terminal; runBench kills it if it is still running at the end. */
export function forkChild<M extends Message>(script: string, args: string[], label: string, execArgv: string[] = []): Link<M> {
  const child = fork(compiled(script), args, { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  // Without a listener, an IPC error on a dying child would crash the bench before it can clean up.
  child.on("error", (error) => {
    console.error(`${label}: ${error.message}`);
  });

  const waitFor = <T extends M["type"]>(type: T, timeoutMs = CHILD_TIMEOUT_MS) =>
    new Promise<Extract<M, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${label}: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: unknown) => {
        if (!isMessage(message) || message.type !== type) return;
        done();
        resolve(message as Extract<M, { type: T }>);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        done();
        reject(new Error(`${label} exited (${signal ?? `code ${code ?? "?"}`}) while the bench waited for "${type}"`));
      };
      function done() {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      }
      child.on("message", onMessage);
      child.on("exit", onExit);
    });

  const tell = (message: ParentMessage) => {
    if (!child.connected) throw new Error(`${label} is gone (exit ${child.exitCode ?? child.signalCode ?? "?"})`);
    // A failed send shows up as the child's exit, which every waitFor() rejects on.
    child.send(message, () => undefined);
  };

  return { label, child, tell, waitFor };
}

/** The child's exit code once it has exited; null if it was killed by a signal or is still running after `timeoutMs`. */
export function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve(null);
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function killChildren() {
  await Promise.all(
    [...children].map((child) => {
      child.kill("SIGKILL");
      return exited(child, 5_000);
    }),
  );
}

/** A numeric command-line flag (`--name value`): its default and the range it must be in. */
export type NumberFlag = { default: number; min: number; max?: number; integer?: boolean };

/**
 * The command line: the `numbers` flags (integers unless `integer: false`) and the `switches`, checked by
 * `check` as a whole. A bad or unknown flag prints why and the usage line (generated from these, defaults
 * included) and exits 2.
 */
export function readFlags<N extends string, S extends string = never>(
  command: string,
  numbers: Record<N, NumberFlag>,
  switches: readonly S[] = [],
  check: (flags: Record<N, number> & Record<S, boolean>) => void = () => undefined,
): Record<N, number> & Record<S, boolean> {
  const numberFlags = Object.entries<NumberFlag>(numbers);
  const usage = [
    "usage:",
    command,
    ...numberFlags.map(([name, flag]) => `[--${name} ${flag.default}]`),
    ...switches.map((name) => `[--${name}]`),
  ];
  try {
    const options: NonNullable<ParseArgsConfig["options"]> = {};
    for (const [name] of numberFlags) options[name] = { type: "string" };
    for (const name of switches) options[name] = { type: "boolean" };
    const { values } = parseArgs({ options });
    const flags: Record<string, number | boolean> = {};
    for (const [name, { default: fallback, min, max = Number.POSITIVE_INFINITY, integer = true }] of numberFlags) {
      const raw = values[name];
      const value = typeof raw === "string" ? Number(raw) : fallback;
      if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
        const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `in ${min}..${max}`;
        throw new Error(`--${name} must be ${integer ? "an integer" : "a number"} ${range}, got "${String(raw)}"`);
      }
      flags[name] = value;
    }
    for (const name of switches) flags[name] = values[name] === true;
    const result = flags as Record<N, number> & Record<S, boolean>;
    check(result);
    return result;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.error(usage.join(" "));
    process.exit(2);
  }
}

/**
 * Runs `main` with a fresh temporary folder and exits with the code it returns (1 if it throws). However
 * the process ends (done, Ctrl-C, over `budgetSeconds`, a crash), no child is left running, the folder
 * is removed and `onExit` has run.
 */
export function runBench(
  { tmpPrefix, budgetSeconds, onExit }: { tmpPrefix: string; budgetSeconds: number; onExit?: () => void },
  main: (dir: string) => Promise<number>,
): void {
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  process.once("exit", () => {
    for (const child of children) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    onExit?.();
  });
  const abandon = (why: string, code: number) => {
    console.error(`\n${why}: stopping the servers and removing ${dir}`);
    process.exit(code);
  };
  process.once("SIGINT", () => {
    abandon("interrupted", 130);
  });
  process.once("SIGTERM", () => {
    abandon("terminated", 143);
  });
  setTimeout(() => {
    abandon(`the benchmark took over its ${budgetSeconds}s budget`, 1);
  }, budgetSeconds * 1000).unref();

  main(dir)
    .catch((error: unknown) => {
      console.error("\nBENCHMARK FAILED:", error instanceof Error ? error.message : error);
      return 1;
    })
    .then(async (code) => {
      // Killed and awaited here so they are gone before the exit handler removes their files.
      await killChildren();
      process.exit(code);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

// ---- the child's side -------------------------------------------------------------------------------

/**
 * Sends `message` to the parent; `then` runs once it is out (so an exit right after does not lose it).
 * Each child wraps it in a `send` typed with its own messages.
 */
/** The process's resident memory in kB: sent with "ready", before the first request. */
export const rssKb = (): number => Math.round(process.memoryUsage.rss() / 1024);

export function sendToParent(message: Message, then?: () => void) {
  process.send?.(message, undefined, undefined, then);
}

/**
 * Answers the parent's rounds for `server`: on "begin" and "end", the CPU time, wall time and requests
 * between them; on "close", `close` with every request handled over the process's life. Exits when the
 * parent goes away (crash, Ctrl-C), so no server is left behind.
 */
export function answerRounds(server: Server, close: (handled: number) => void) {
  // Counted here so CPU time is divided by exactly the requests this process answered between begin and
  // end (a load generator drops the ones still in flight when it stops).
  let handled = 0;
  server.on("request", () => {
    handled++;
  });
  let roundStart: { cpu: NodeJS.CpuUsage; wallMs: number; handled: number } | undefined;
  let peakRss = 0;
  let rssSampler: NodeJS.Timeout | undefined;
  const report = (message: RoundMessage) => {
    sendToParent(message);
  };

  process.on("message", (message: unknown) => {
    if (!isMessage(message)) return;
    switch (message.type as ParentMessage["type"]) {
      case "begin":
        roundStart = { cpu: process.cpuUsage(), wallMs: performance.now(), handled };
        peakRss = process.memoryUsage.rss();
        clearInterval(rssSampler);
        // The round's own peak, sampled: the process's lifetime peak (maxRSS) would include a --prefill.
        rssSampler = setInterval(() => {
          peakRss = Math.max(peakRss, process.memoryUsage.rss());
        }, 100);
        report({ type: "begun" });
        break;
      case "end": {
        const start = roundStart ?? { cpu: process.cpuUsage(), wallMs: performance.now(), handled };
        const cpu = process.cpuUsage(start.cpu);
        const wallMicros = Math.round((performance.now() - start.wallMs) * 1000);
        report({
          type: "ended",
          cpuMicros: cpu.user + cpu.system,
          wallMicros,
          requests: handled - start.handled,
          peakRssKb: Math.round(Math.max(peakRss, process.memoryUsage.rss()) / 1024),
        });
        clearInterval(rssSampler);
        break;
      }
      case "close":
        close(handled);
        break;
    }
  });
  process.on("disconnect", () => {
    process.exit(0);
  });
}

/** Lines in a log file, counted without splitting a possibly large file into strings. */
export function countLines(file: string): number {
  const contents = readFileSync(file);
  let lines = 0;
  for (let i = contents.indexOf(10); i !== -1; i = contents.indexOf(10, i + 1)) lines++;
  return lines;
}
