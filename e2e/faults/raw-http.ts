import { connect } from "node:net";

/** An answer read off the socket: status, headers (lower-case names), body, and what was sent meanwhile. */
export type RawAnswer = { status: number; headers: Record<string, string>; body: string; bytesSent: number; ms: number };

/**
 * Sends raw bytes (a request line, headers, maybe a body; more of it forever with `endless`, in chunk
 * framing with `chunked`) and reads the answer until the server closes: what a hostile client does that
 * fetch will not.
 */
export function sendRaw(
  url: string,
  head: string,
  body: Buffer | string = "",
  options: { endless?: boolean; chunked?: boolean } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
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
      resolve({
        status: Number(statusLine.split(" ")[1]),
        headers,
        body: rest.join("\r\n\r\n"),
        bytesSent,
        ms: performance.now() - started,
      });
    });
    socket.write(head);
    bytesSent += Buffer.byteLength(body);
    socket.write(body);
    if (!options.endless) return;
    const data = Buffer.alloc(64 * 1024, "x");
    // With `chunked`, each piece is framed as a valid chunk: a body that never ends, not one that breaks.
    const chunk = options.chunked ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")]) : data;
    const pump = () => {
      // Bounded all the same: a server that never answers fails the test, not the machine.
      while (!done && socket.writable && bytesSent < 256 * 1024 * 1024) {
        bytesSent += chunk.length;
        if (!socket.write(chunk)) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

/** A request's head: the request line and headers, the connection closed after the answer. */
export function head(method: string, target: string, headers: Record<string, string | number> = {}): string {
  const all: Record<string, string | number> = { host: "store.test", connection: "close", ...headers };
  const lines = Object.entries(all).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${target} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`;
}
