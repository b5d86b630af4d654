import { request, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";

import { serve } from "@hono/node-server";

import type { App } from "../app.js";

/**
 * The app on a real socket, for what only a socket has: the client's address. Linux answers on all of
 * 127.0.0.0/8, so a request sent from 127.0.0.2 and one from 127.0.0.3 are two clients to it.
 */
export async function serveOnLoopback(app: App): Promise<{ url: string; close: () => Promise<void> }> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the test server has no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** POSTs `body` as JSON from `localAddress` (fetch cannot choose its local address in Node 20). */
export function postJsonFrom(
  localAddress: string,
  url: string,
  body: unknown,
): Promise<{ status: number; headers: IncomingHttpHeaders; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", localAddress, headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text) as unknown });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

/** Sends `text` as it is on a new connection and returns everything the server wrote back before closing it. */
export function sendRaw(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = connect(Number(port), hostname, () => socket.end(text));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.on("close", () => {
      resolve(answer);
    });
    socket.on("error", reject);
  });
}
