import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseTrustedProxies } from "@fishtag/service-kit/client-address";
import { isValidCorrelationId } from "@fishtag/tracing/correlation";

import { admit, answerClientError, BODY_LIMIT_BYTES, identifyClient, isShallowJson } from "./front-door";
import { CLIENT_ADDRESS_HEADER, CLIENT_HTTPS_HEADER } from "./lib/client-address";
import { SECURITY_HEADERS } from "./lib/security-headers";

// The front door on a real socket, as server.ts runs it in front of Next: whatever it lets through is
// answered 200 `{ passed, body }` by a stand-in for Next that reads the body as Next would, so a test sees
// both what was refused and that what went on arrived intact.

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    void admit(req, res).then((refusal) => {
      if (refusal) return;
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => res.end(JSON.stringify({ passed: true, body: Buffer.concat(chunks).toString("latin1") })));
    });
  });
  server.on("clientError", (error: Error, socket: Duplex) => answerClientError(error, socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

type Answer = { status: number; headers: Record<string, string>; body: string; bytesSent: number };

/** Sends raw bytes (a request line, headers, maybe a body) and reads the answer until the server closes. */
function send(head: string, body: Buffer | string = "", options: { endless?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    let bytesSent = 0;
    let done = false;
    socket.on("data", (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // A server that closes on a client still sending may reset it; what it answered first still counts.
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
    });
    socket.on("close", () => {
      done = true;
      const text = received.toString("latin1");
      const [headText = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = headText.split("\r\n");
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n"), bytesSent });
    });
    socket.write(head);
    bytesSent += Buffer.byteLength(body);
    socket.write(body);
    if (options.endless) {
      // Keeps sending until the server has answered and closed: an endless body.
      const chunk = Buffer.alloc(64 * 1024, "x");
      const pump = () => {
        while (!done && socket.writable && bytesSent < 50 * 1024 * 1024) {
          bytesSent += chunk.length;
          if (!socket.write(chunk)) {
            socket.once("drain", pump);
            return;
          }
        }
      };
      pump();
    }
  });
}

const request = (method: string, target: string, headers: Record<string, string | number> = {}) =>
  `${method} ${target} HTTP/1.1\r\nHost: store.test\r\nConnection: close\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${String(value)}\r\n`)
    .join("")}\r\n`;

/** A refusal as every one must look: a 4xx, the ID, the security headers, and the connection closed. */
function expectRefused(answer: Answer, status: number, error?: string) {
  expect(answer.status).toBe(status);
  expect(isValidCorrelationId(answer.headers["x-correlation-id"] ?? "")).toBe(true);
  for (const { key } of SECURITY_HEADERS) expect(answer.headers[key.toLowerCase()], key).toBeDefined();
  expect(answer.headers.connection).toBe("close");
  if (answer.headers["content-type"]?.startsWith("application/json")) {
    expect(JSON.parse(answer.body)).toEqual({
      error: error ?? expect.any(String),
      message: expect.any(String),
      correlationId: answer.headers["x-correlation-id"],
    });
  } else {
    expect(answer.body).toContain(answer.headers["x-correlation-id"]);
  }
}

const ACTION = "6019b789590fa20ad2e3ebd72827d728f7b457308c";

/** A form as a browser's script posts it to an action: multipart, with the fields given. */
async function multipart(fields: Record<string, string>): Promise<{ type: string; body: Buffer }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const encoded = new Request("http://store.test/", { method: "POST", body: form });
  return { type: encoded.headers.get("content-type") ?? "", body: Buffer.from(await encoded.arrayBuffer()) };
}

describe("the store's front door", () => {
  it("refuses a target that is not a path, and a path that does not decode, with a 400 a person can read", async () => {
    expectRefused(await send(request("OPTIONS", "*")), 400, "bad_request_target");
    expectRefused(await send(request("GET", "http://store.test/")), 400, "bad_request_target");
    const page = await send(request("GET", "/orders/%ZZ", { accept: "text/html" }));
    expectRefused(page, 400, "malformed_path");
    expect(page.body).toContain("Back to the store");
    expectRefused(await send(request("GET", "/api/orders/%E0%A4%A")), 400, "malformed_path");
  });

  it(`refuses a body over ${BODY_LIMIT_BYTES} bytes by its Content-Length, before reading it: a 10 MB body is answered at once`, async () => {
    const answer = await send(request("POST", "/api/warehouse-events", { "content-length": 10 * 1024 * 1024 }), "", { endless: true });
    expectRefused(answer, 413, "payload_too_large");
  });

  it("refuses an endless chunked body before reading it", async () => {
    const answer = await send(request("POST", "/api/warehouse-events", { "transfer-encoding": "chunked" }), "10000\r\n", { endless: true });
    expectRefused(answer, 411, "length_required");
  });

  it("refuses an action posted from another site, naming no well-formed action, or not sent as a form", async () => {
    const form = await multipart({ sku: "MUG-TEAL" });
    const action = (headers: Record<string, string | number>) =>
      request("POST", "/", { "next-action": ACTION, "content-type": form.type, "content-length": form.body.length, ...headers });
    expectRefused(await send(action({ origin: "http://evil.test" }), form.body), 403, "cross_origin");
    expectRefused(await send(action({ "next-action": "not-an-action" }), form.body), 404, "unknown_action");
    expectRefused(await send(action({ "content-type": "application/json", "content-length": 2 }), "{}"), 415, "unsupported_media_type");
    expectRefused(await send(action({ "content-type": "text/plain", "content-length": 7 }), "garbage"), 415, "unsupported_media_type");
  });

  it("refuses an action form that does not parse, or whose arguments are malformed or nested deep, and passes a good one intact", async () => {
    const broken = "--xyz\r\njunk";
    expectRefused(
      await send(request("POST", "/", { "content-type": "multipart/form-data; boundary=xyz", "content-length": broken.length }), broken),
      400,
      "malformed_form",
    );
    for (const argument of ["[not json", `${"[".repeat(10_000)}${"]".repeat(10_000)}`]) {
      const form = await multipart({ "0": argument });
      const answer = await send(request("POST", "/", { "content-type": form.type, "content-length": form.body.length }), form.body);
      expectRefused(answer, answer.status === 413 ? 413 : 400, answer.status === 413 ? "payload_too_large" : "malformed_form");
    }
    const good = await multipart({ "0": '["$K1","$undefined"]', "1_sku": "MUG-TEAL", "1_quantity": "2" });
    const answer = await send(
      request("POST", "/", {
        "next-action": ACTION,
        origin: "http://store.test",
        "content-type": good.type,
        "content-length": good.body.length,
      }),
      good.body,
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ passed: true, body: good.body.toString("latin1") });
  });

  it("never answers a generated request line, path or action form with a 5xx, and lets through exactly what it should", async () => {
    const pathPart = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/),
      fc.stringMatching(/^%[0-9A-Fa-f]{2}$/),
      fc.stringMatching(/^%[0-9A-Za-z]{0,2}$/),
      fc.constantFrom("%E0%A4%A", "%C3%28", "%F0%9F%98", "%25", "%00"),
    );
    const target = fc.oneof(
      fc.array(pathPart, { maxLength: 6 }).map((parts) => `/${parts.join("")}`),
      fc.constantFrom("*", "http://store.test/", "store.test:443", "//double"),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("GET", "POST", "OPTIONS", "DELETE"), target, async (method, path) => {
        const answer = await send(request(method, path, method === "POST" ? { "content-type": "text/plain", "content-length": 0 } : {}));
        expect(answer.status).toBeLessThan(500);
        let decodes = path.startsWith("/");
        try {
          decodeURIComponent(path);
        } catch {
          decodes = false;
        }
        const isAction = method === "POST" && !path.startsWith("/api/");
        if (!decodes || isAction) expect(answer.status).toBeGreaterThanOrEqual(400);
        else expect(answer.status).toBe(200);
        if (answer.status >= 400) expectRefused(answer, answer.status);
      }),
      { numRuns: 300 },
    );

    const jsonish = fc.oneof(
      fc.json({ depthSize: "large" }),
      fc.string(),
      fc.nat(200).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom("0", "1", "$ACTION_1:0", "$ACTION_KEY", "sku"), jsonish), async (fields) => {
        const form = await multipart(fields);
        const answer = await send(request("POST", "/cart", { "content-type": form.type, "content-length": form.body.length }), form.body);
        expect(answer.status).toBeLessThan(500);
        const argumentsOk = Object.entries(fields).every(([name, value]) => !/^(\d+|\$ACTION_\d+:\d+)$/.test(name) || isShallowJson(value));
        if (form.body.length > BODY_LIMIT_BYTES) expectRefused(answer, 413, "payload_too_large");
        else if (argumentsOk) expect(JSON.parse(answer.body)).toEqual({ passed: true, body: form.body.toString("latin1") });
        else expectRefused(answer, 400, "malformed_form");
      }),
      { numRuns: 300 },
    );
  });
});

describe("isShallowJson", () => {
  it("takes well-formed JSON up to 32 levels, and refuses deeper or broken text without recursing", () => {
    expect(isShallowJson('{"a":[1,{"b":"]]]"}]}')).toBe(true);
    expect(isShallowJson(`${"[".repeat(32)}${"]".repeat(32)}`)).toBe(true);
    expect(isShallowJson(`${"[".repeat(33)}${"]".repeat(33)}`)).toBe(false);
    expect(isShallowJson(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toBe(false);
    expect(isShallowJson("[1,")).toBe(false);
    expect(isShallowJson('"a string"')).toBe(true);
    expect(isShallowJson("plain text")).toBe(false);
  });
});

describe("identifyClient", () => {
  /** A server that reports who it took the client to be, under `trust`. */
  async function whoAmI(trust: string, headers: Record<string, string>): Promise<{ address: string; https: string }> {
    const parsed = parseTrustedProxies(trust);
    if (!parsed.ok) throw new Error(parsed.problem);
    const reporting = createServer((req, res) => {
      identifyClient(req, parsed.trust);
      res.end(JSON.stringify({ address: req.headers[CLIENT_ADDRESS_HEADER], https: req.headers[CLIENT_HTTPS_HEADER] }));
    });
    await new Promise<void>((resolve) => reporting.listen(0, "127.0.0.1", resolve));
    try {
      const { port: at } = reporting.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${at}/`, { headers });
      return (await response.json()) as { address: string; https: string };
    } finally {
      reporting.close();
    }
  }

  it("takes the socket's peer as the client, and ignores what a client says about itself, unless proxies are trusted", async () => {
    const spoofed = { "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https", [CLIENT_ADDRESS_HEADER]: "198.51.100.1" };
    expect(await whoAmI("", spoofed)).toEqual({ address: "127.0.0.1", https: "0" });
  });

  it("behind one trusted proxy, takes the address it forwarded and whether the client came over https", async () => {
    expect(await whoAmI("1", { "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https" })).toEqual({
      address: "203.0.113.9",
      https: "1",
    });
    // Whatever the client put in front of the proxy's own entry is not believed.
    expect(await whoAmI("1", { "x-forwarded-for": "10.9.9.9, 203.0.113.9" })).toEqual({ address: "203.0.113.9", https: "0" });
  });
});
