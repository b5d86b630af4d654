/**
 * What `npm start` runs the services under: each one its own process, as it would be deployed, so that one
 * stopping leaves the other running (the store keeps taking orders while the warehouse is down) and one that
 * crashes comes back, as a container runtime or systemd would bring it back.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export type ServiceSpec = {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
};

export type SupervisorEvent =
  | { type: "started"; service: string; pid: number }
  /** Exited on its own terms: exit code 0, or SIGTERM/SIGINT from someone. Not restarted. */
  | { type: "stopped"; service: string }
  | { type: "crashed"; service: string; how: string; restartInMs: number }
  /** Crashed `maxCrashes` times in a row without staying up: left stopped until asked to start. */
  | { type: "gave-up"; service: string; how: string };

export type SupervisorOptions = {
  onEvent: (event: SupervisorEvent) => void;
  /** Each line a service writes, stdout and stderr alike. */
  onLine: (service: string, line: string) => void;
  /** Wait before the nth restart in a row (1-based). Default: 1 s, doubling, at most 30 s. */
  backoffMs?: (restart: number) => number;
  /** A service that stayed up this long has its crash count reset. */
  stableAfterMs?: number;
  maxCrashes?: number;
};

type Slot = {
  spec: ServiceSpec;
  child?: ChildProcess;
  exited?: Promise<void>;
  /** Set while we stop it ourselves, so its exit is not taken for a crash. */
  stopping: boolean;
  crashes: number;
  startedAt: number;
  restartTimer?: NodeJS.Timeout;
};

const STOP_SIGNALS = new Set(["SIGTERM", "SIGINT"]);

export class Supervisor {
  readonly #slots = new Map<string, Slot>();
  readonly #options: Required<SupervisorOptions>;
  #closing = false;

  constructor(specs: ServiceSpec[], options: SupervisorOptions) {
    this.#options = {
      backoffMs: (restart) => Math.min(1000 * 2 ** (restart - 1), 30_000),
      stableAfterMs: 30_000,
      maxCrashes: 5,
      ...options,
    };
    for (const spec of specs) this.#slots.set(spec.name, { spec, stopping: false, crashes: 0, startedAt: 0 });
  }

  get names(): string[] {
    return [...this.#slots.keys()];
  }

  running(name: string): boolean {
    return this.#slot(name).child !== undefined;
  }

  pid(name: string): number | undefined {
    return this.#slot(name).child?.pid;
  }

  startAll(): void {
    for (const name of this.#slots.keys()) this.start(name);
  }

  start(name: string): void {
    const slot = this.#slot(name);
    clearTimeout(slot.restartTimer);
    slot.restartTimer = undefined;
    if (slot.child || this.#closing) return;
    const { command, args, cwd, env } = slot.spec;
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    slot.child = child;
    slot.stopping = false;
    slot.startedAt = Date.now();
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
        this.#options.onLine(name, line);
      });
    }
    slot.exited = new Promise((resolve) => {
      // "close", not "exit": the process's output has been read to the end by then.
      child.once("close", (code, signal) => {
        this.#exited(slot, code, signal);
        resolve();
      });
    });
    child.once("error", (error) => {
      this.#options.onLine(name, `could not start: ${error.message}`);
    });
    child.once("spawn", () => {
      this.#options.onEvent({ type: "started", service: name, pid: child.pid ?? 0 });
    });
  }

  /** SIGTERM, and waits for the exit: the services drain what they have taken and exit 0. */
  async stop(name: string): Promise<void> {
    const slot = this.#slot(name);
    clearTimeout(slot.restartTimer);
    slot.restartTimer = undefined;
    if (!slot.child) return;
    slot.stopping = true;
    slot.child.kill("SIGTERM");
    await slot.exited;
  }

  async toggle(name: string): Promise<void> {
    if (this.running(name)) await this.stop(name);
    else {
      this.#slot(name).crashes = 0;
      this.start(name);
    }
  }

  async stopAll(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.names.map((name) => this.stop(name)));
  }

  #slot(name: string): Slot {
    const slot = this.#slots.get(name);
    if (!slot) throw new Error(`no service named ${name}`);
    return slot;
  }

  #exited(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    slot.child = undefined;
    const name = slot.spec.name;
    if (slot.stopping || this.#closing || code === 0 || (signal && STOP_SIGNALS.has(signal))) {
      this.#options.onEvent({ type: "stopped", service: name });
      return;
    }
    const how = signal ? `killed by ${signal}` : `exit code ${String(code)}`;
    if (Date.now() - slot.startedAt >= this.#options.stableAfterMs) slot.crashes = 0;
    slot.crashes++;
    if (slot.crashes >= this.#options.maxCrashes) {
      this.#options.onEvent({ type: "gave-up", service: name, how });
      return;
    }
    const restartInMs = this.#options.backoffMs(slot.crashes);
    this.#options.onEvent({ type: "crashed", service: name, how, restartInMs });
    slot.restartTimer = setTimeout(() => {
      this.start(name);
    }, restartInMs);
  }
}
