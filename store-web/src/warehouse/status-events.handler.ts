import type { KeyObject } from "node:crypto";

import { trace } from "@opentelemetry/api";

import { verifyServiceAuthorization, type ReplayGuard } from "@fishtag/service-auth/tokens";
import { flagsFromHeaders, runWithFlags } from "@fishtag/tracing/flags";
import type { Logger } from "@fishtag/tracing/logger";
import { inSpan, markRefused } from "@fishtag/tracing/spans";

import { errorResponse, HTTP } from "../lib/http";
import type { OrdersRepo, WarehouseUpdate } from "../orders/orders.repo";
import { StatusEventSchema, type StatusEvent } from "./status-event.schema";

const MAX_BODY_CHARS = 16_384;

export type StatusEventsDeps = {
  orders: OrdersRepo;
  /** The warehouse's public key: events must carry a token it signed. None: every event is refused. */
  publicKey: KeyObject | undefined;
  /** The tokens already taken: each is good for one event (the relay signs every delivery afresh). */
  replay: ReplayGuard;
  logger: Logger;
};

/**
 * POST /api/warehouse-events, the store's side of the status-event contract (the README states it; the
 * warehouse's relay is the other side). Free of Next, so tests call it with a plain Request; the route
 * runs it in the event's correlation scope (the staff action's ID). The token is checked before the body
 * is read. Duplicates and stale events are 200s that change nothing, so the warehouse stops sending them.
 */
export function handleStatusEvent(request: Request, correlationId: string, deps: StatusEventsDeps): Promise<Response> {
  // A span of the warehouse's trace (server.ts continued it from the relay's traceparent): a staff move,
  // its relay and the store applying it read as one waterfall. A refusal marks it failed, with why.
  return inSpan("receive status event", {}, async (span) => {
    const response = await receive(request, correlationId, deps);
    span.setAttribute("http.response.status_code", response.status);
    if (response.status >= 400) markRefused(`answered ${String(response.status)}`);
    return response;
  });
}

async function receive(request: Request, correlationId: string, deps: StatusEventsDeps): Promise<Response> {
  const { publicKey, replay, logger } = deps;
  const verified = await verifyServiceAuthorization(request.headers.get("authorization"), {
    key: publicKey,
    issuer: "warehouse-api",
    audience: "store-web",
    request: { method: request.method, url: request.url },
    replay,
  });
  if (!verified.ok) {
    // The reason's category only: never the token.
    logger.warn({ reason: verified.reason }, "status event refused: not authenticated");
    return errorResponse(
      HTTP.UNAUTHORIZED,
      "unauthenticated",
      "A valid service token from the warehouse is required (Authorization: Bearer <jwt>).",
      correlationId,
    );
  }

  // The flags of the order the event is about, in its baggage: read only now that the warehouse's token is
  // checked (server.ts drops any a caller sends), and recorded on the span and every line that follows.
  const inbound = flagsFromHeaders(request.headers);
  if (inbound.malformed) logger.warn({ flagsLength: inbound.malformed.length }, "malformed fishtag.flags baggage entry dropped");
  return runWithFlags(inbound.flags, () => apply(request, correlationId, deps));
}

/** An authenticated event: read, checked and applied at most once. */
async function apply(request: Request, correlationId: string, { orders, logger }: StatusEventsDeps): Promise<Response> {
  // An event is a few hundred bytes; anything far larger is not one, and is not worth parsing.
  const text = await request.text();
  if (text.length > MAX_BODY_CHARS) {
    logger.warn({ length: text.length }, "status event refused: body too large");
    return errorResponse(
      HTTP.PAYLOAD_TOO_LARGE,
      "payload_too_large",
      `The body must be under ${MAX_BODY_CHARS} characters.`,
      correlationId,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    logger.warn("status event refused: body is not JSON");
    return errorResponse(HTTP.BAD_REQUEST, "invalid_json", "The body must be a JSON object.", correlationId);
  }
  const parsed = StatusEventSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    logger.warn({ issues }, "status event refused: not a valid event");
    return errorResponse(HTTP.BAD_REQUEST, "invalid_event", "The body is not a valid order.status_changed event.", correlationId, {
      issues,
    });
  }

  const event = parsed.data;
  const fields = { eventId: event.eventId, storeOrderId: event.storeOrderId, warehouseOrderId: event.orderId, status: event.status };
  const result = await orders.applyWarehouseUpdate(statusUpdateOf(event), correlationId);
  trace
    .getActiveSpan()
    ?.setAttributes({ "fishtag.order_number": "orderNumber" in result ? result.orderNumber : "", "fishtag.event.outcome": result.outcome });
  switch (result.outcome) {
    case "unknown_order":
      logger.warn(fields, "status event refused: unknown order");
      return errorResponse(HTTP.NOT_FOUND, "unknown_order", "The store has no order with this storeOrderId.", correlationId);
    case "applied":
      logger.info({ ...fields, orderNumber: result.orderNumber }, "status event applied");
      return Response.json({ applied: true }, { status: HTTP.OK });
    case "duplicate":
      logger.info({ ...fields, orderNumber: result.orderNumber }, "duplicate ignored");
      return Response.json({ applied: false, reason: "duplicate" }, { status: HTTP.OK });
    case "stale":
      logger.info({ ...fields, orderNumber: result.orderNumber, lastEventId: result.lastEventId }, "stale ignored");
      return Response.json({ applied: false, reason: "stale" }, { status: HTTP.OK });
  }
}

/** The event as the order repository records it: the wire's names and types stop here. */
function statusUpdateOf(event: StatusEvent): WarehouseUpdate {
  return {
    eventId: event.eventId,
    warehouseOrderId: event.orderId,
    storeOrderId: event.storeOrderId,
    status: event.status,
    reason: event.reason ?? null,
    at: new Date(event.at),
  };
}
