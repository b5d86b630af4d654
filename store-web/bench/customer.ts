// A customer without JavaScript, over plain HTTP, as the fault tests' shopper (e2e/faults/shopper.ts) is:
// it reads a page, fills in one of its forms and posts it as the browser would (multipart/form-data with
// the hidden fields React rendered into the form: the action's reference, its bound state and key), so
// the store answers it through the front door, the proxy, the server action and the page it renders.
// Plain node:http with one kept-alive connection per customer, the bodies built as strings: the load
// generator shares the machine with both services and should cost as little as it can.

import { Agent, request } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";

/** An answer: its status, where a redirect points, the body (a page) and how long it took. */
export type Answer = { status: number; location: string | undefined; body: string; ms: number };

type Field = [name: string, value: string];

const ENTITIES: Record<string, string> = { amp: "&", quot: '"', "#x27": "'", "#39": "'", lt: "<", gt: ">" };

/**
 * The fields a browser without JavaScript posts from the first form on `page` that `pick` accepts: its
 * inputs (hidden ones included) in document order, with `values` over the rendered ones and after them.
 */
export function formFields(page: string, pick: (form: string) => boolean, values: Record<string, string> = {}): Field[] {
  const form = page.match(/<form\b[\s\S]*?<\/form>/g)?.find(pick);
  if (!form) throw new Error("the page has no such form");
  const left = new Map(Object.entries(values));
  const fields: Field[] = [];
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    const attribute = (name: string) =>
      new RegExp(`\\s${name.replace("$", "\\$")}="([^"]*)"`)
        .exec(input)?.[1]
        ?.replace(/&(amp|quot|#x27|#39|lt|gt);/g, (_, entity: string) => ENTITIES[entity] ?? "");
    const name = attribute("name");
    if (name === undefined) continue;
    fields.push([name, left.get(name) ?? attribute("value") ?? ""]);
    left.delete(name);
  }
  return [...fields, ...left];
}

const BOUNDARY = "----fishtag-bench-form";
export const FORM_CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** The form as a browser encodes it for a form with enctype="multipart/form-data". */
export function multipart(fields: readonly Field[]): string {
  const parts = fields.map(([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return `${parts.join("")}--${BOUNDARY}--\r\n`;
}

function decoded(encoding: string | undefined, body: Buffer): Buffer {
  if (encoding === "gzip") return gunzipSync(body);
  if (encoding === "deflate") return inflateSync(body);
  if (encoding === undefined || encoding === "identity") return body;
  throw new Error(`the store answered in an encoding the bench does not read: ${encoding}`);
}

/** One browser: its customer cookie and its connection to the store. */
export class Customer {
  private cookie = "";
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly origin: string;

  constructor(private readonly storeUrl: string) {
    this.origin = new URL(storeUrl).origin;
  }

  get(path: string): Promise<Answer> {
    return this.send("GET", path);
  }

  /** Posts `form` (as `multipart`) to `path`, from one of the store's own pages (Origin). */
  post(path: string, form: string): Promise<Answer> {
    return this.send("POST", path, form);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, form?: string): Promise<Answer> {
    const started = performance.now();
    // As a browser asks: the store compresses its pages for it.
    const headers: Record<string, string | number> = { cookie: this.cookie, accept: "text/html", "accept-encoding": "gzip, deflate, br" };
    if (form !== undefined) {
      Object.assign(headers, { origin: this.origin, "content-type": FORM_CONTENT_TYPE, "content-length": Buffer.byteLength(form) });
    }
    return new Promise((resolve, reject) => {
      const req = request(`${this.storeUrl}${path}`, { method, headers, agent: this.agent, timeout: 30_000 }, (res) => {
        for (const line of res.headers["set-cookie"] ?? []) {
          const pair = line.split(";", 1)[0];
          if (pair?.startsWith("fishtag_customer=")) this.cookie = pair;
        }
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            body: decoded(res.headers["content-encoding"], Buffer.concat(chunks)).toString("utf8"),
            ms: performance.now() - started,
          });
        });
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on("error", reject);
      req.end(form);
    });
  }
}
