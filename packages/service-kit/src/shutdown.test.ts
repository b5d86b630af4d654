import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { createLogger } from "@fishtag/tracing/logger";

import { drainOnSignals } from "./shutdown.js";

const logger = createLogger({ service: "test", level: "silent" });
let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

describe("drainOnSignals", () => {
  it("answers what it took, tells a client that sends more to leave, then releases and exits 0", async () => {
    const steps: string[] = [];
    let arrived!: () => void;
    const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
    let nextArrived!: () => void;
    const nextRead = new Promise<void>((resolve) => (nextArrived = resolve));
    let answer!: () => void;
    const answerNow = new Promise<void>((resolve) => (answer = resolve));
    server = createServer((request, response) => {
      if (request.url !== "/slow") {
        nextArrived();
        response.end("ok");
        return;
      }
      arrived();
      void answerNow.then(() => {
        steps.push("answered");
        response.end("ok");
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    let exited: number | undefined;
    const { drain, draining } = drainOnSignals(server, {
      logger,
      signals: [],
      stop: () => {
        steps.push("stop");
      },
      release: () => {
        steps.push("release");
      },
      exit: (code) => {
        exited = code;
      },
    });

    // One kept-alive connection: its first request is under way at the signal, and its client sends the
    // next one before the answer, as a busy client does. The connection must not stay open for it.
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
    });
    const ended = new Promise<void>((resolve) => {
      socket.on("close", () => {
        resolve();
      });
    });
    socket.write("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n");
    await slowArrived;
    const drained = drain("SIGTERM");
    expect(draining()).toBe(true);
    socket.write("GET /next HTTP/1.1\r\nHost: test\r\n\r\n");
    await nextRead;
    answer();
    await Promise.all([drained, ended]);

    const connectionHeaders = [...received.matchAll(/^connection: (.*)\r$/gim)].map((match) => match[1]?.toLowerCase());
    expect(connectionHeaders).toEqual(["keep-alive", "close"]);
    expect(steps).toEqual(["stop", "answered", "release"]);
    expect(exited).toBe(0);
    expect(server.listening).toBe(false);
  });
});
