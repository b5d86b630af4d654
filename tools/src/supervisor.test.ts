import { afterEach, describe, expect, it } from "vitest";

import { Supervisor, type ServiceSpec, type SupervisorEvent } from "./supervisor.js";

/** A service made of one line of JavaScript: it prints a line, then does what `body` says. */
function service(name: string, body: string): ServiceSpec {
  return { name, command: process.execPath, args: ["-e", `console.log("${name} up"); ${body}`], cwd: process.cwd(), env: {} };
}
const STAYS_UP = "setInterval(() => {}, 1000); process.on('SIGTERM', () => process.exit(0));";

let supervisor: Supervisor | undefined;
afterEach(async () => {
  await supervisor?.stopAll();
});

/** A supervisor whose events can be awaited in order, without timing anything. */
function supervise(specs: ServiceSpec[], options: { maxCrashes?: number } = {}) {
  const events: SupervisorEvent[] = [];
  const lines: string[] = [];
  const checks: (() => void)[] = [];
  supervisor = new Supervisor(specs, {
    backoffMs: () => 10,
    ...options,
    onLine: (name, line) => lines.push(`${name}: ${line}`),
    onEvent: (event) => {
      events.push(event);
      for (const check of checks.splice(0)) check();
    },
  });
  /** The nth (1-based) event of this type for this service, past or future. */
  const nth = (type: SupervisorEvent["type"], service: string, n = 1) =>
    new Promise<SupervisorEvent>((resolve) => {
      const check = () => {
        const found = events.filter((e) => e.type === type && e.service === service)[n - 1];
        if (found) resolve(found);
        else checks.push(check);
      };
      check();
    });
  return { supervisor, events, lines, nth };
}

describe("Supervisor", () => {
  it("restarts a service that crashes while the other keeps running, untouched", async () => {
    const { supervisor, nth, lines } = supervise([
      service("warehouse", "setTimeout(() => process.exit(3), 50);"),
      service("store", STAYS_UP),
    ]);
    supervisor.startAll();
    const storeStart = await nth("started", "store");
    expect(await nth("crashed", "warehouse")).toMatchObject({ how: "exit code 3" });
    // A crash is reported once the process's output has been read to its end.
    await nth("crashed", "warehouse", 2);
    expect(lines.filter((line) => line === "warehouse: warehouse up")).toHaveLength(2);
    expect(supervisor.pid("store")).toBe(storeStart.type === "started" ? storeStart.pid : undefined);
  });

  it("counts a kill -9 as a crash, and restarts the service", async () => {
    const { supervisor, nth } = supervise([service("warehouse", STAYS_UP)]);
    supervisor.start("warehouse");
    await nth("started", "warehouse");
    process.kill(supervisor.pid("warehouse") ?? 0, "SIGKILL");
    expect(await nth("crashed", "warehouse")).toMatchObject({ how: "killed by SIGKILL" });
    await nth("started", "warehouse", 2);
    expect(supervisor.running("warehouse")).toBe(true);
  });

  it("leaves a service stopped that was stopped on purpose (SIGTERM from anyone), and starts it again when asked", async () => {
    const { supervisor, nth, events } = supervise([service("warehouse", STAYS_UP), service("store", STAYS_UP)]);
    supervisor.startAll();
    await nth("started", "warehouse");
    await nth("started", "store");
    process.kill(supervisor.pid("warehouse") ?? 0, "SIGTERM");
    await nth("stopped", "warehouse");
    expect(supervisor.running("warehouse")).toBe(false);
    expect(supervisor.running("store")).toBe(true);

    await supervisor.toggle("warehouse");
    await nth("started", "warehouse", 2);
    await supervisor.toggle("warehouse");
    expect(supervisor.running("warehouse")).toBe(false);
    expect(events.filter((e) => e.type === "crashed")).toEqual([]);
  });

  it("gives up on a service that crashes at every start, and says so", async () => {
    const { supervisor, nth, events } = supervise([service("warehouse", "process.exit(1);")], { maxCrashes: 3 });
    supervisor.start("warehouse");
    expect(await nth("gave-up", "warehouse")).toMatchObject({ how: "exit code 1" });
    expect(events.filter((e) => e.type === "started")).toHaveLength(3);
    expect(supervisor.running("warehouse")).toBe(false);
  });
});
