import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";

import { HTTP } from "../lib/http-status.js";

/**
 * 413 for a body over `maxBytes`. A request with Content-Length is judged by the header alone: Node's
 * parser never reads past it, so it cannot lie. Hono's bodyLimit checks `c.req.raw.body` first, which makes
 * @hono/node-server build a full web Request for every POST (a third of the app's cost per order in
 * `npm run bench`), so it is kept for chunked bodies only, where the size is unknown until read.
 */
export function bodyLimit(maxBytes: number) {
  const tooLarge = () => {
    throw new HTTPException(HTTP.PAYLOAD_TOO_LARGE, { message: `The body is over ${maxBytes} bytes.` });
  };
  const streaming = honoBodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return createMiddleware(async (c, next) => {
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) return streaming(c, next);
    if (Number(length) > maxBytes) tooLarge();
    await next();
  });
}
