// The two services of the checkout bench, each as `npm start` runs it: the built `dist`, a process of its
// own (so its own event loop), NODE_ENV=production, JSON logs to a file and to stdout (kept in a file
// too). What the bench reads of each process comes from /proc, so nothing in either service is changed
// or wrapped to be measured.

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HOST = "127.0.0.1";

/** One running service: its address and process. */
export type Service = { label: string; url: string; child: ChildProcess; pid: number; logFile: string };

const started = new Set<ChildProcess>();

// However the bench ends (runBench exits the process on Ctrl-C, a crash or its time budget), no service
// is left running.
process.once("exit", () => {
  for (const child of started) child.kill("SIGKILL");
});

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

async function waitUntilHealthy(url: string, child: ChildProcess, label: string, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${label} did not answer ${url} within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts `workspace`'s built `entry` with `env` over the production settings and waits until `healthPath`
 * answers. `nodeArgs` go before the entry (--cpu-prof, for one).
 */
export async function startService(options: {
  label: string;
  workspace: "store-web" | "warehouse-api";
  entry: string;
  port: number;
  healthPath: string;
  dir: string;
  env: Record<string, string>;
  nodeArgs?: string[];
}): Promise<Service> {
  const { label, workspace, entry, port, healthPath, dir, env, nodeArgs = [] } = options;
  const logFile = join(dir, `${label}.log`);
  const stdout = openSync(join(dir, `${label}.stdout`), "a");
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: join(REPO_ROOT, workspace),
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "info", LOG_FILE: logFile, ...env },
    stdio: ["ignore", stdout, "inherit"],
  });
  closeSync(stdout);
  started.add(child);
  child.once("exit", () => started.delete(child));
  const url = `http://${HOST}:${port}`;
  await waitUntilHealthy(`${url}${healthPath}`, child, label);
  if (child.pid === undefined) throw new Error(`${label} has no process id`);
  return { label, url, child, pid: child.pid, logFile };
}

/** SIGTERM (both services drain and exit on it; a CPU profile is written then), SIGKILL after 20 s. */
export async function stopService(service: Service): Promise<number | null> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      resolve();
    });
  });
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
  return child.exitCode;
}

// ---- what /proc says about a process ------------------------------------------------------------------

const CLOCK_TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU time (user + system, every thread) the process has used so far, in µs; clock-tick resolution (10 ms). */
export function cpuMicros(pid: number): number {
  // The command name (field 2) may hold spaces: the fields are counted after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

/** The process's resident memory now and its peak so far (VmRSS, VmHWM), in MB. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}
