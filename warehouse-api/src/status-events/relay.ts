import type { KeyObject } from "node:crypto";

import { backoffMs, createOutboxRelay, type Backoff, type DeliveryOutcome } from "@fishtag/relay";
import { serviceAuthorization } from "@fishtag/service-auth/tokens";
import { CORRELATION_HEADER } from "@fishtag/tracing/correlation";
import { runWithFlags } from "@fishtag/tracing/flags";
import type { Logger } from "@fishtag/tracing/logger";
import { inSpan, SpanKind, traceHeaders } from "@fishtag/tracing/spans";

import type { Database } from "../db/client.js";
import { fetchErrorCode } from "../lib/fetch-error.js";
import { createStatusOutbox, type DueRow, type OutboxRow } from "./status-outbox.repo.js";

/**
 * The relay: sends each status change queued in the outbox to the Store, at least once, in order per
 * order. The call, and which answers are retried or parked, is the README's status-event contract:
 * what asking again cannot change (a 4xx about the event) is parked; everything else (the Store down,
 * its keys or URL to fix) is retried, because it will go through once someone fixes it.
 */

export const EVENTS_PATH = "/api/warehouse-events";
export const EVENT_TYPE = "order.status_changed";

export type StatusEvent = {
  eventId: number;
  orderId: string;
  storeOrderId: string;
  type: typeof EVENT_TYPE;
  status: OutboxRow["status"];
  /** Why, for a status that needs one (a cancellation); null otherwise. */
  reason: string | null;
  at: string;
};

export type StatusRelayOptions = {
  db: Database;
  logger: Logger;
  /** The Store's base URL, e.g. http://localhost:8000. */
  storeUrl: string;
  /** The warehouse's own Ed25519 private key: each delivery carries a fresh token signed with it. */
  signingKey: KeyObject;
  /** Epoch ms; tests move it on instead of waiting out a backoff. */
  now?: () => number;
  /** In [0, 1): the jitter. */
  random?: () => number;
  fetch?: typeof fetch;
  /** Rows per tick at most (default 100). */
  batchSize?: number;
  /** Per POST (default 5 s). */
  timeoutMs?: number;
  /** First retry within baseMs (default 1 s), doubling per failure up to capMs (default 5 min). */
  backoff?: Backoff;
};

// What is kept of a refusal's body, in the row and the log line.
const ERROR_EXCERPT_CHARS = 500;

export type StatusRelay = ReturnType<typeof createStatusRelay>;

export function createStatusRelay(options: StatusRelayOptions) {
  const { logger, signingKey, now = Date.now, random = Math.random, fetch: send = fetch, batchSize = 100, timeoutMs = 5000 } = options;
  const backoff = options.backoff ?? { baseMs: 1000, capMs: 5 * 60 * 1000 };
  const outbox = createStatusOutbox(options.db);
  // A path prefix on STORE_URL is kept (new URL() with an absolute path would drop it).
  const url = `${options.storeUrl.replace(/\/+$/, "")}${EVENTS_PATH}`;
  // Only where the events go, in log lines and spans: a URL may carry user:password, which has no place in either.
  const { origin, pathname } = new URL(url);

  /**
   * Each event goes back with the flags of the order it is about (README "Feature flags"), whatever the
   * trace it continues had in its baggage (a staff member's browser decides no flag): the Store records them.
   */
  function deliver(row: DueRow): Promise<DeliveryOutcome> {
    return runWithFlags(row.priority ? ["priority-lane"] : [], () => deliverEvent(row));
  }

  async function deliverEvent(row: DueRow): Promise<DeliveryOutcome> {
    const attempt = row.attempts + 1;
    const fields = { eventId: row.eventId, orderId: row.orderId, status: row.status, attempt };
    const event: StatusEvent = {
      eventId: row.eventId,
      orderId: row.orderId,
      storeOrderId: row.storeOrderId,
      type: EVENT_TYPE,
      status: row.status,
      reason: row.reason,
      at: row.at.toISOString(),
    };
    const started = performance.now();

    let failure: { statusCode?: number; errorCode?: string; lastError: string; park: boolean };
    try {
      // Signed per delivery, not per relay: a retry minutes later needs a token that has not expired.
      const authorization = await serviceAuthorization({
        key: signingKey,
        issuer: "warehouse-api",
        audience: "store-web",
        method: "POST",
        url,
      });
      // A client span in the staff action's trace (the relay runs each row in it): the Store's handling
      // of the event continues from the traceparent sent here.
      const res = await inSpan(
        `POST ${EVENTS_PATH}`,
        { kind: SpanKind.CLIENT, attributes: { "http.request.method": "POST", "url.full": `${origin}${pathname}` } },
        async (span) => {
          const answer = await send(url, {
            method: "POST",
            headers: { "content-type": "application/json", [CORRELATION_HEADER]: row.correlationId, authorization, ...traceHeaders() },
            body: JSON.stringify(event),
            redirect: "manual",
            signal: AbortSignal.timeout(timeoutMs),
          });
          span.setAttribute("http.response.status_code", answer.status);
          return answer;
        },
      );
      if (res.ok) {
        // Read to the end (a few bytes): cancelling the body instead closed the connection while the Store
        // was still writing it, and the Store logged a delivery it had answered as aborted.
        await res.text();
        await outbox.delivered(row.id, now());
        logger.info({ ...fields, durationMs: Math.round(performance.now() - started) }, "status event delivered");
        return "delivered";
      }
      const excerpt = await bodyExcerpt(res);
      // A 401 is about the keys, not the event: retried (and said loudly) until someone fixes them.
      if (res.status === 401)
        logger.error(
          { ...fields, statusCode: 401 },
          "the Store refused the warehouse's token: check WAREHOUSE_SIGNING_KEY here and WAREHOUSE_PUBLIC_KEY there",
        );
      const retryable = res.status >= 500 || res.status < 400 || res.status === 401 || res.status === 408 || res.status === 429;
      failure = { statusCode: res.status, lastError: `HTTP ${res.status}${excerpt ? `: ${excerpt}` : ""}`, park: !retryable };
    } catch (error) {
      const errorCode = fetchErrorCode(error);
      failure = { errorCode, lastError: errorCode, park: false };
    }

    const { statusCode, errorCode, lastError, park } = failure;
    const durationMs = Math.round(performance.now() - started);
    if (park) {
      await outbox.park(row.id, lastError);
      logger.error({ ...fields, statusCode, lastError, durationMs }, "status event parked");
      return "parked";
    }
    const retryInMs = backoffMs(attempt, random, backoff);
    await outbox.retryAt(row.id, now() + retryInMs, lastError);
    logger.warn({ ...fields, statusCode, errorCode, retryInMs, durationMs }, "status event delivery failed, will retry");
    return "retried";
  }

  return createOutboxRelay({
    name: "status outbox",
    table: "status_outbox",
    outbox,
    deliver,
    logger,
    now,
    batchSize,
    startFields: { eventsUrl: `${origin}${pathname}` },
  });
}

/** The start of the answer's body, control characters blanked: it goes into a log line and the row. */
async function bodyExcerpt(res: Response): Promise<string> {
  if (!res.body) return "";
  const decoder = new TextDecoder();
  let text = "";
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  try {
    while (text.length < ERROR_EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body cut off half-way still leaves the status code to go on.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  // eslint-disable-next-line no-control-regex -- blanking control characters is the point
  const controlCharacters = /[\u0000-\u001f\u007f]+/g;
  return text.slice(0, ERROR_EXCERPT_CHARS).replace(controlCharacters, " ").trim();
}
