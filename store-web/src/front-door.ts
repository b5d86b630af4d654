import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";

import { clientOf, type TrustedProxies } from "@fishtag/service-kit/client-address";
import { CORRELATION_HEADER, resolveCorrelationId } from "@fishtag/tracing/correlation";

import { CLIENT_ADDRESS_HEADER, CLIENT_HTTPS_HEADER } from "./lib/client-address";
import { SECURITY_HEADERS } from "./lib/security-headers";

/**
 * What server.ts refuses before Next sees a request: anything Next would answer with a 500, or read in
 * full before refusing. Next's own answers to these are 500s in plain text without the correlation ID or
 * the security headers, a stack trace on stdout, and for bodies, every byte read into memory first.
 * Free of Next and of the request's body stream, so each check is a plain function of what came in.
 */

export type Refusal = {
  status: 400 | 403 | 404 | 411 | 413 | 415 | 431;
  error: string;
  message: string;
};

/** The most a request may send. The largest real one, a checkout form, is a few kilobytes. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** How deep a JSON value in an action's form may nest: a store action's state is a few levels at most. */
const MAX_JSON_DEPTH = 32;

/** The content types the store's actions take: every one of them takes a form. */
const FORM_TYPES = ["multipart/form-data", "application/x-www-form-urlencoded"];

/** Next's server action IDs: hex, 40 to 42 characters in Next 16 (a hash and a kind prefix). */
const ACTION_ID = /^[0-9a-f]{40,48}$/;

/** The request line: only origin-form targets (`/path?query`), and a path that decodes. */
export function checkTarget(url: string | undefined): Refusal | undefined {
  if (!url?.startsWith("/")) {
    return { status: 400, error: "bad_request_target", message: "The request target must be a path, such as /orders." };
  }
  const path = url.split("?", 1)[0] ?? "";
  try {
    decodeURIComponent(path);
  } catch {
    return { status: 400, error: "malformed_path", message: "The address has malformed percent-encoding." };
  }
  return undefined;
}

/**
 * What the headers alone decide: a body must announce its length (an endless one is refused before a
 * byte of it is read) and stay under the limit; a server action must come from this store's own pages,
 * name a well-formed action and send a form.
 */
export function checkHeaders(req: Pick<IncomingMessage, "method" | "url" | "headers">): Refusal | undefined {
  const { headers } = req;
  if (headers["transfer-encoding"] !== undefined) {
    return { status: 411, error: "length_required", message: "Send the body with a Content-Length." };
  }
  const length = Number(headers["content-length"] ?? 0);
  if (!Number.isSafeInteger(length) || length > BODY_LIMIT_BYTES) {
    return { status: 413, error: "payload_too_large", message: `The body must be at most ${BODY_LIMIT_BYTES} bytes.` };
  }
  if (isActionPost(req)) return checkAction(req);
  return undefined;
}

/** A POST to a page (not under /api): a server action, posted by a form or by the page's script. */
export function isActionPost(req: Pick<IncomingMessage, "method" | "url">): boolean {
  return req.method === "POST" && !(req.url ?? "").startsWith("/api/");
}

function checkAction({ headers }: Pick<IncomingMessage, "headers">): Refusal | undefined {
  // A browser sends Origin on every cross-site POST; Next would refuse such an action too, but as a 500.
  const origin = headers.origin;
  if (origin !== undefined && origin !== "null" && hostOf(origin) !== headers.host) {
    return { status: 403, error: "cross_origin", message: "Forms may only be posted from this store's own pages." };
  }
  const actionId = headers["next-action"];
  if (actionId !== undefined && (typeof actionId !== "string" || !ACTION_ID.test(actionId))) {
    return { status: 404, error: "unknown_action", message: "There is no such action." };
  }
  const type = (headers["content-type"] ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
  if (!FORM_TYPES.includes(type)) {
    return { status: 415, error: "unsupported_media_type", message: "Send the form as multipart/form-data or URL-encoded." };
  }
  return undefined;
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * An action's form, read whole (it is at most BODY_LIMIT_BYTES): it must parse as the form it claims to
 * be, and the JSON Next reads from it (the action's arguments and bound state, in the numbered and
 * `$ACTION_` fields) must be well-formed and shallow. Next would answer either with a 500.
 */
export async function checkActionForm(contentType: string, body: Buffer): Promise<Refusal | undefined> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    return { status: 400, error: "malformed_form", message: "The form could not be read." };
  }
  for (const [name, value] of form) {
    if (typeof value === "string" && JSON_FIELD.test(name) && !isShallowJson(value)) {
      return { status: 400, error: "malformed_form", message: "The form could not be read." };
    }
  }
  return undefined;
}

/** The fields Next parses as JSON: the encoded arguments ("0", "1", …) and bound ones ("$ACTION_1:0"). */
const JSON_FIELD = /^(\d+|\$ACTION_\d+:\d+)$/;

/**
 * True for well-formed JSON no deeper than MAX_JSON_DEPTH. Depth is counted before parsing, without
 * recursion, so a value nested 100,000 levels costs one pass and no stack.
 */
export function isShallowJson(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "[" || char === "{") {
      if (++depth > MAX_JSON_DEPTH) return false;
    } else if (char === "]" || char === "}") depth--;
  }
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The answer to a refused request: JSON in the API's error shape for API calls and the page's script
 * (which sends Next-Action), a small page with the reference for a browser. Always closes the connection:
 * whatever the client still sends is not read.
 */
export function refusalAnswer(
  req: Pick<IncomingMessage, "url" | "headers">,
  refusal: Refusal,
  correlationId: string,
): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { connection: "close", "cache-control": "no-store" };
  const wantsJson =
    (req.url ?? "").startsWith("/api/") || req.headers["next-action"] !== undefined || (req.headers.accept ?? "").includes("json");
  if (wantsJson) {
    const body = JSON.stringify({ error: refusal.error, message: refusal.message, correlationId });
    return { headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }, body };
  }
  // correlationId is valid by construction ([A-Za-z0-9._:-]) and the message is ours: nothing to escape.
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Request refused · fishtag store</title></head>
<body><main><h1>We could not take that request</h1><p>${refusal.message}</p><p>Reference: <code>${correlationId}</code></p><p><a href="/">Back to the store</a></p></main></body></html>
`;
  return { headers: { ...headers, "content-type": "text/html; charset=utf-8", "content-length": String(Buffer.byteLength(body)) }, body };
}

/**
 * Reads a body whose length the headers announced (at most BODY_LIMIT_BYTES) and puts it back, so Next
 * reads it again as if untouched. Put back in the same tick as the last read: once the stream has told
 * its readers it ended, nothing can be put back.
 */
export function peekBody(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (error?: Error) => {
      req.off("readable", onReadable);
      req.off("error", finish);
      req.off("close", onClose);
      if (error) {
        reject(error);
        return;
      }
      const body = Buffer.concat(chunks);
      if (body.length > 0) req.unshift(body);
      resolve(body);
    };
    const onClose = () => {
      finish(new Error("the client closed the connection before sending its body"));
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while (received < length && (chunk = req.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        received += chunk.length;
      }
      if (received >= length) finish();
    };
    if (length === 0) {
      resolve(Buffer.alloc(0));
      return;
    }
    req.on("readable", onReadable);
    req.on("error", finish);
    req.on("close", onClose);
  });
}

/** A console message as one short plain line: its first line, without colour codes, at most 200 characters. */
export function consoleLine(message: string): string {
  // eslint-disable-next-line no-control-regex -- stripping terminal colour codes is the point
  const plain = message.replace(/\u001b\[[0-9;]*m/g, "");
  const first = plain.split("\n", 1)[0]?.trim() ?? "";
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

/**
 * The front door: checks a request before Next sees it and, when it must be refused, answers it (a 4xx with
 * the correlation ID and the security headers, the connection closed). Resolves with the refusal, or
 * undefined for a request to hand on. An action's form is read to be checked, then put back for Next.
 */
export async function admit(req: IncomingMessage, res: ServerResponse): Promise<Refusal | undefined> {
  let refusal = checkTarget(req.url) ?? checkHeaders(req);
  if (!refusal && isActionPost(req)) {
    const body = await peekBody(req, Number(req.headers["content-length"] ?? 0));
    refusal = await checkActionForm(req.headers["content-type"] ?? "", body);
  }
  if (!refusal) return undefined;
  const inbound = req.headers[CORRELATION_HEADER];
  const { id } = resolveCorrelationId(typeof inbound === "string" ? inbound : undefined);
  const answer = refusalAnswer(req, refusal, id);
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  lingerOnClose(req.socket);
  res.writeHead(refusal.status, { ...answer.headers, [CORRELATION_HEADER]: id }).end(answer.body);
  return refusal;
}

/** How long a refused connection is drained after its answer before it is closed for good. */
const LINGER_MS = 1000;

/**
 * A lingering close, as nginx and Apache do it. Node closes the connection as soon as the refusal is
 * written; if the client is still sending the body we did not read, the kernel then answers it with a
 * reset, which can destroy the refusal before the client has read it (seen in one of 60 parallel 10 MB
 * uploads). So the answer is followed by a half-close, and what still arrives is discarded (Node drains
 * an unread body by itself) for at most LINGER_MS, a bounded cost per connection, never a buffer.
 */
function lingerOnClose(socket: Socket): void {
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}

/**
 * A request Node's parser could not read (a malformed request line or header, an oversized header):
 * Node would answer a bare 400 and log nothing. Answered here in the same shape as every other refusal,
 * under a fresh ID (whatever ID the client sent could not be read either). Resolves nothing for a client
 * that is already gone.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): (Refusal & { correlationId: string }) | undefined {
  // Already answered and lingering (lingerOnClose): the rest of what it sends is only drained.
  if (socket.writableEnded) return undefined;
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return undefined;
  }
  const refusal: Refusal =
    error.code === "HPE_HEADER_OVERFLOW"
      ? { status: 431, error: "headers_too_large", message: "The request's headers are too large." }
      : { status: 400, error: "malformed_request", message: "The request could not be read." };
  const correlationId = crypto.randomUUID();
  const answer = refusalAnswer({ url: "/api/", headers: {} }, refusal, correlationId);
  const headers = [
    ...SECURITY_HEADERS.map(({ key, value }) => `${key}: ${value}`),
    ...Object.entries({ ...answer.headers, [CORRELATION_HEADER]: correlationId }).map(([key, value]) => `${key}: ${value}`),
  ];
  socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ""}\r\n${headers.join("\r\n")}\r\n\r\n${answer.body}`);
  return { ...refusal, correlationId };
}

/**
 * Who sent the request, for the app: the client's address and whether they came over https, from the
 * socket and, as far as `trust` reaches, the proxies' forwarding headers. Written over whatever a client
 * sent under the same header names, so the app never reads a value a client chose.
 */
export function identifyClient(req: IncomingMessage, trust: TrustedProxies): void {
  const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(",") : value);
  const client = clientOf(
    {
      remoteAddress: req.socket.remoteAddress,
      forwardedFor: single(req.headers["x-forwarded-for"]),
      forwardedProto: single(req.headers["x-forwarded-proto"]),
    },
    trust,
  );
  req.headers[CLIENT_ADDRESS_HEADER] = client.address;
  req.headers[CLIENT_HTTPS_HEADER] = client.forwardedHttps ? "1" : "0";
}
