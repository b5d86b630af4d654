import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const HOST = "127.0.0.1";
let sink: { url: string } | undefined;

/**
 * Where a bench's traced server exports its spans: an OTLP/HTTP endpoint in the bench's own process that
 * reads each export and answers 200, so the server pays for making, batching and sending its spans, and
 * nothing more. One per bench process.
 */
export async function otlpSink(): Promise<string> {
  if (sink) return sink.url;
  let bytes = 0;
  let exports = 0;
  const server = createServer((req, res) => {
    req.on("data", (chunk: Buffer) => (bytes += chunk.length));
    req.on("end", () => {
      exports += 1;
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  sink = { url: `http://${HOST}:${String(port)}` };
  process.on("exit", () => {
    console.log(`otlp sink: ${String(exports)} exports, ${(bytes / 1e6).toFixed(1)} MB`);
  });
  return sink.url;
}
