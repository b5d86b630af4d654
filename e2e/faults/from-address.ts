import { Agent, request } from "node:http";

/**
 * HTTP from a chosen loopback address. Linux answers on all of 127.0.0.0/8, so binding the client
 * socket's local address to 127.0.0.2, 127.0.0.3, … makes each one a different client to a server that
 * reads the socket's remote address: many attackers, or an attacker and a bystander, from one test.
 * fetch cannot choose its local address in Node 20, hence node:http.
 */

export type Answer = { status: number; retryAfterSeconds: number | undefined; body: string };

/** `count` loopback addresses from 127.0.<block>.1 on: a test takes its own block, apart from 127.0.0.1 (the suite's own requests). */
export function loopbackAddresses(block: number, count: number): string[] {
  return Array.from({ length: count }, (_, n) => `127.0.${block}.${n + 1}`);
}

/** A client at `address`: its connections are kept alive and reused, as a browser's or a script's would be. */
export function fromAddress(address: string) {
  const agent = new Agent({ keepAlive: true, localAddress: address });

  function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(url, { agent, method: init.method ?? "GET", headers: init.headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          const retryAfter = res.headers["retry-after"];
          resolve({ status: res.statusCode ?? 0, retryAfterSeconds: retryAfter === undefined ? undefined : Number(retryAfter), body });
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(init.body);
    });
  }

  return {
    address,
    send,
    /** POST /api/session as the dashboard sends it. */
    signIn(warehouseUrl: string, email: string, password: string): Promise<Answer> {
      return send(`${warehouseUrl}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
    },
    close(): void {
      agent.destroy();
    },
  };
}

export type Client = ReturnType<typeof fromAddress>;
