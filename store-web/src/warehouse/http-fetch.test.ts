import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createHttpFetch } from "./http-fetch.server";

// What the warehouse client relies on fetch for, kept by its node:http replacement (the contract tests run
// the client itself on it against the real warehouse and misbehaving ones).
let server: Server;
let base: string;
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  "/echo": (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      res.writeHead(201, { "content-type": "application/json", "x-seen": req.headers["x-correlation-id"] ?? "" });
      res.end(JSON.stringify({ method: req.method, length: req.headers["content-length"], body: Buffer.concat(chunks).toString("utf8") }));
    });
  },
  "/cut": (_req, res) => {
    // Promises 100 bytes, sends 10, then the connection drops: the warehouse died mid-answer.
    res.writeHead(201, { "content-length": "100" });
    res.write("0123456789", () => res.socket?.destroy());
  },
  "/never": () => undefined,
  "/moved": (_req, res) => res.writeHead(307, { location: "/echo" }).end(),
  "/empty": (_req, res) => res.writeHead(204).end(),
};

beforeAll(async () => {
  server = createServer((req, res) => routes[req.url ?? ""]?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("the warehouse client's fetch over node:http", () => {
  const fetch = createHttpFetch();

  it("sends the method, headers and body, and answers with the status, headers and whole body", async () => {
    const body = JSON.stringify({ note: "naïve café" });
    const response = await fetch(`${base}/echo`, { method: "POST", headers: { "x-correlation-id": "ref-1" }, body });

    expect(response.status).toBe(201);
    expect(response.headers.get("x-seen")).toBe("ref-1");
    expect(await response.json()).toEqual({ method: "POST", length: String(Buffer.byteLength(body)), body });
  });

  it("keeps the connection for the next call", async () => {
    let connections = 0;
    server.on("connection", () => connections++);
    for (let i = 0; i < 3; i++) await (await fetch(`${base}/echo`)).text();

    expect(connections).toBeLessThanOrEqual(1);
  });

  it("fails an answer cut off before its end, as fetch does, rather than returning a short body", async () => {
    await expect(fetch(`${base}/cut`, { method: "POST", body: "{}" })).rejects.toThrow(TypeError);
  });

  it("fails with the signal's reason when the call is aborted, and at once when it already was", async () => {
    const slow = fetch(`${base}/never`, { signal: AbortSignal.timeout(50) });
    await expect(slow).rejects.toMatchObject({ name: "TimeoutError" });
    await expect(fetch(`${base}/echo`, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("fails when nothing listens", async () => {
    await expect(fetch("http://127.0.0.1:9/echo")).rejects.toThrow("fetch failed");
  });

  it("returns a redirect instead of following it (the order must not be sent anywhere else)", async () => {
    const response = await fetch(`${base}/moved`, { method: "POST", body: "{}" });

    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/echo");
  });

  it("answers a 204 with no body", async () => {
    const response = await fetch(`${base}/empty`);

    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });
});
