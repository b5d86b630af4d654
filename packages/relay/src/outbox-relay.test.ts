import { describe, expect, it } from "vitest";

import { createLogger, currentCorrelationId } from "@fishtag/tracing/logger";

import { createOutboxRelay, type DeliveryOutcome } from "./outbox-relay.js";

const logger = createLogger({ service: "test", level: "silent" });

type Row = { id: number; key: string; correlationId: string; state: "pending" | "delivered" | "parked" };

/**
 * An outbox in memory that, like the warehouse's, offers only each key's oldest pending row: the
 * second row of a key becomes due once the first is delivered.
 */
function memoryOutbox(rows: Row[]) {
  return {
    due: (_now: number, limit: number) =>
      Promise.resolve(
        rows
          .filter(
            (row) =>
              row.state === "pending" && !rows.some((other) => other.key === row.key && other.state === "pending" && other.id < row.id),
          )
          .slice(0, limit),
      ),
    backlog: () =>
      Promise.resolve({
        pending: rows.filter((row) => row.state === "pending").length,
        parked: rows.filter((row) => row.state === "parked").length,
      }),
  };
}

describe("createOutboxRelay", () => {
  it("delivers every due row in one tick, each in its own correlation scope, looking again when a delivery makes the next row due", async () => {
    const rows: Row[] = [
      { id: 1, key: "a", correlationId: "first", state: "pending" },
      { id: 2, key: "a", correlationId: "second", state: "pending" },
      { id: 3, key: "b", correlationId: "third", state: "pending" },
    ];
    const seen: (string | undefined)[] = [];
    const relay = createOutboxRelay({
      name: "test outbox",
      table: "test_outbox",
      outbox: memoryOutbox(rows),
      logger,
      deliver: (row) => {
        seen.push(currentCorrelationId());
        row.state = row.id === 3 ? "parked" : "delivered";
        return Promise.resolve<DeliveryOutcome>(row.state === "parked" ? "parked" : "delivered");
      },
    });

    expect(await relay.runOnce()).toEqual({ delivered: 2, retried: 0, parked: 1 });
    expect(seen).toEqual(["first", "third", "second"]);
    expect(await relay.runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0 });
  });

  it("sends at most batchSize rows per tick, oldest first", async () => {
    const rows: Row[] = [1, 2, 3].map((id) => ({ id, key: `k${id}`, correlationId: `c${id}`, state: "pending" }));
    const sent: number[] = [];
    const relay = createOutboxRelay({
      name: "test outbox",
      table: "test_outbox",
      outbox: memoryOutbox(rows),
      logger,
      batchSize: 2,
      deliver: (row) => {
        sent.push(row.id);
        row.state = "delivered";
        return Promise.resolve<DeliveryOutcome>("delivered");
      },
    });
    expect(await relay.runOnce()).toEqual({ delivered: 2, retried: 0, parked: 0 });
    expect(sent).toEqual([1, 2]);
  });

  it("starts no delivery after stop, and stop waits for the one in flight", async () => {
    const rows: Row[] = [1, 2].map((id) => ({ id, key: `k${id}`, correlationId: `c${id}`, state: "pending" }));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let delivering!: () => void;
    const inDelivery = new Promise<void>((resolve) => (delivering = resolve));
    const steps: string[] = [];
    const relay = createOutboxRelay({
      name: "test outbox",
      table: "test_outbox",
      outbox: memoryOutbox(rows),
      logger,
      deliver: async (row) => {
        steps.push(`deliver ${row.id}`);
        delivering();
        await held;
        row.state = "delivered";
        steps.push(`recorded ${row.id}`);
        return "delivered";
      },
    });
    const tick = relay.runOnce();
    await inDelivery;
    const stopped = relay.stop().then(() => steps.push("stopped"));
    release();
    await Promise.all([tick, stopped]);
    expect(steps).toEqual(["deliver 1", "recorded 1", "stopped"]);
    expect(rows[1]?.state).toBe("pending");
  });
});
