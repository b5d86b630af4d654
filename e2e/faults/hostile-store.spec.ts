import { readFileSync } from "node:fs";

import { isValidCorrelationId } from "@fishtag/tracing/correlation";

import { expect, Stack, test } from "../fixtures/stack";
import { report } from "./harness";
import { head, sendRaw, type RawAnswer } from "./raw-http";

// Hostile clients against the store (the warehouse's are in hostile-warehouse.spec.ts): bodies it must not
// read, requests Next would answer with a 500. Loopback only, bounded in count, figures printed.

const MB = 1024 * 1024;

let stack: Stack;
test.beforeAll(async ({ database }) => {
  stack = await Stack.start({ database });
});
test.afterAll(async () => {
  await stack.close();
});

/** The store's resident memory, in MB, from /proc. */
function storeRssMb(): number {
  const status = readFileSync(`/proc/${String(stack.storePid)}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

/** A refusal as the store must give it: a 4xx, the reference, the security headers, one log line. */
function expectRefusal(answer: RawAnswer, what: string) {
  expect(answer.status, what).toBeGreaterThanOrEqual(400);
  expect(answer.status, what).toBeLessThan(500);
  const id = answer.headers["x-correlation-id"] ?? "";
  expect(isValidCorrelationId(id), `${what}: a reference`).toBe(true);
  expect(answer.headers["content-security-policy"], `${what}: security headers`).toBeDefined();
  return id;
}

// Every kind of endpoint: the event API, an API route that takes no body, one that does not exist, and the
// three pages whose forms post actions (by script, and without JavaScript).
const ENDPOINTS = [
  ["POST", "/api/warehouse-events", {}],
  ["POST", "/api/health", {}],
  ["PUT", "/api/no/such/route", {}],
  ["POST", "/", { "next-action": "6019b789590fa20ad2e3ebd72827d728f7b457308c", "content-type": "multipart/form-data; boundary=b" }],
  ["POST", "/cart", { "content-type": "multipart/form-data; boundary=b" }],
  ["POST", "/orders/new", { "content-type": "application/x-www-form-urlencoded" }],
] as const;

test("oversized and endless bodies on every store endpoint are refused at once, unread, and its memory stays flat", async () => {
  const slowest = { oversized: 0, endless: 0 };
  for (const [method, path, headers] of ENDPOINTS) {
    const oversized = await sendRaw(stack.storeUrl, head(method, path, { ...headers, "content-length": 10 * MB }), "", { endless: true });
    expectRefusal(oversized, `${method} ${path} with 10 MB`);
    expect(oversized.status).toBe(413);
    const endless = await sendRaw(stack.storeUrl, head(method, path, { ...headers, "transfer-encoding": "chunked" }), "", {
      endless: true,
      chunked: true,
    });
    expectRefusal(endless, `${method} ${path} with an endless chunked body`);
    expect(endless.status).toBe(411);
    slowest.oversized = Math.max(slowest.oversized, oversized.ms);
    slowest.endless = Math.max(slowest.endless, endless.ms);
  }

  // 60 clients at once, each sending all of its 10 MB to the endpoint anyone may reach without a token.
  const before = storeRssMb();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, storeRssMb())), 50);
  const flood = await Promise.all(
    Array.from({ length: 60 }, () =>
      sendRaw(stack.storeUrl, head("POST", "/api/warehouse-events", { "content-length": 10 * MB }), Buffer.alloc(10 * MB, "x")),
    ),
  );
  clearInterval(sampler);
  const after = storeRssMb();
  expect(flood.map((answer) => answer.status)).toEqual(flood.map(() => 413));
  // Before this, the same flood took the store from about 262 to 774 MB: every body was read for the proxy.
  expect(peak - before, "the store's memory grew by no more than noise").toBeLessThan(64);

  report("hostile store: bodies", {
    "endpoints tried": ENDPOINTS.length,
    "slowest 10 MB refusal ms": Math.round(slowest.oversized),
    "slowest endless refusal ms": Math.round(slowest.endless),
    "store RSS MB before 60 × 10 MB": before,
    "peak during": peak,
    after,
  });
});

test("malformed request lines, paths and action bodies get a 4xx with the reference, the security headers and one log line", async () => {
  const action = (fields: Record<string, string>, headers: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const encoded = new Request("http://store.test/", { method: "POST", body: form });
    return encoded.arrayBuffer().then((body) => ({
      head: head("POST", "/", {
        "next-action": "6019b789590fa20ad2e3ebd72827d728f7b457308c",
        "content-type": encoded.headers.get("content-type") ?? "",
        "content-length": body.byteLength,
        ...headers,
      }),
      body: Buffer.from(body),
    }));
  };
  const raw = (text: string) => ({ head: text, body: "" });
  const cases: [string, { head: string; body: Buffer | string }][] = [
    ["OPTIONS *", raw(head("OPTIONS", "*"))],
    ["a malformed path", raw(head("GET", "/orders/%ZZ"))],
    ["a malformed API path", raw(head("GET", "/api/orders/%E0%A4%A"))],
    ["an absolute-form target", raw(head("GET", "http://store.test/"))],
    ["a request line that is not HTTP", raw("HELLO WORLD\r\n\r\n")],
    ["a control character in the path", raw("GET /\u0001 HTTP/1.1\r\nHost: store.test\r\n\r\n")],
    ["a 100 KB header", raw(head("GET", "/", { "x-filler": "x".repeat(100 * 1024) }))],
    ["an action body that is not a form", raw(head("POST", "/", { "content-type": "text/plain", "content-length": 7 }) + "garbage")],
    ["an action body of JSON", raw(head("POST", "/", { "content-type": "application/json", "content-length": 2 }) + "{}")],
    [
      "a broken multipart body",
      raw(head("POST", "/cart", { "content-type": "multipart/form-data; boundary=b", "content-length": 9 }) + "--b\r\njunk"),
    ],
    ["action arguments nested 6,000 deep", await action({ "0": `${"[".repeat(6000)}${"]".repeat(6000)}` })],
    ["action arguments that are not JSON", await action({ "0": "[not json" })],
    ["an action posted from another site", await action({ sku: "MUG-TEAL" }, { origin: "http://evil.test" })],
    ["a malformed action id", await action({ sku: "MUG-TEAL" }, { "next-action": "not-an-action" })],
  ];

  const statuses: Record<string, number> = {};
  for (const [what, request] of cases) {
    const answer = await sendRaw(stack.storeUrl, request.head, request.body);
    const id = expectRefusal(answer, what);
    statuses[what] = answer.status;
    await expect
      .poll(() => stack.logLines("store-web").filter((line) => line.correlationId === id).length, { message: `${what}: one log line` })
      .toBe(1);
  }
  const stdout = stack.stdoutLines("store-web");
  const notJson = stdout.filter((line) => {
    try {
      JSON.parse(line);
      return false;
    } catch {
      return true;
    }
  });
  expect(notJson, "stdout holds JSON lines only").toEqual([]);

  report("hostile store: malformed requests", {
    cases: cases.length,
    "all 4xx": "yes",
    "stdout lines": stdout.length,
    "non-JSON": notJson.length,
  });
  console.log(`faults: hostile store: statuses ${JSON.stringify(statuses)}`);
});
