import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import type { AppDeps, AppEnv } from "../lib/app-env.js";
import { ErrorSchema, jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import { requireStore, STORE_TOKEN_SCHEME } from "../middleware/require-store.js";
import { sessionOf } from "../staff/require-staff.js";
import { fingerprint, idempotencyGate, IdempotencyKeyHeadersSchema, REPLAYED_HEADER } from "./idempotency.js";
import { createOrdersRepo } from "./orders.repo.js";
import {
  CreateOrderSchema,
  ListOrdersQuerySchema,
  OrderEventsSchema,
  OrderIdParamsSchema,
  OrderPageSchema,
  OrderSchema,
  RejectedOrderSchema,
  TransitionSchema,
  type Order,
} from "./orders.schemas.js";

const json = <T>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errorResponse = (description: string) => json(ErrorSchema, description);

/** What order creation answers, and what its Idempotency-Key keeps for a replay. */
type CreateAnswer =
  { status: typeof HTTP.CREATED; body: Order } | { status: typeof HTTP.UNPROCESSABLE_ENTITY; body: z.infer<typeof RejectedOrderSchema> };

// Order creation takes only calls with a token the Store signed (requireStore), so the Store is its actor.
const STORE_ACTOR = "store";

/**
 * Two APIs over the same orders. The service API (order creation) is what the Store calls; the staff
 * API (everything else) is what the dashboard calls, behind a staff session. They are kept apart so
 * each can get its own authentication.
 */
export function ordersRoutes({ db, logger, rejectPrefix, storePublicKey }: AppDeps, staffGate: MiddlewareHandler<AppEnv>) {
  const repo = createOrdersRepo(db);
  const rejects = (reference: string) => rejectPrefix !== "" && reference.toLowerCase().startsWith(rejectPrefix.toLowerCase());

  const staffOnly = {
    middleware: staffGate,
    security: [{ staffSession: [] }],
  };
  const unauthenticated = errorResponse("No staff session");

  const createOrder = createRoute({
    method: "post",
    path: "/api/orders",
    tags: ["Orders (service API)"],
    summary: "Place an order (called by the Store); safe to retry with the same Idempotency-Key",
    // Authentication first: an unauthenticated call must not hold (or learn anything about) an Idempotency-Key.
    middleware: [requireStore(storePublicKey, logger), idempotencyGate(logger)] as const,
    security: [{ [STORE_TOKEN_SCHEME]: [] }],
    request: { headers: IdempotencyKeyHeadersSchema, body: { ...json(CreateOrderSchema, "The order"), required: true } },
    responses: {
      [HTTP.CREATED]: json(OrderSchema, "The order was received (or, with `Idempotent-Replayed: true`, had been)"),
      [HTTP.BAD_REQUEST]: errorResponse(
        "No Idempotency-Key (`idempotency_key_missing`), an invalid one (`idempotency_key_invalid`), malformed JSON or a schema violation (see `issues`)",
      ),
      [HTTP.UNAUTHORIZED]: errorResponse("No valid service token from the Store (`unauthenticated`)"),
      [HTTP.CONFLICT]: errorResponse("A request with this Idempotency-Key is still being processed (`idempotency_key_in_flight`)"),
      [HTTP.PAYLOAD_TOO_LARGE]: errorResponse("The body is over 64 KB"),
      [HTTP.UNPROCESSABLE_ENTITY]: json(
        z.union([RejectedOrderSchema, ErrorSchema]),
        "The warehouse rejected the order; it is stored as `rejected` (`order_rejected`, replayed like a 201). " +
          "Or this Idempotency-Key was used with another body within 24 hours (`idempotency_key_reused`)",
      ),
    },
  });

  const listOrders = createRoute({
    method: "get",
    path: "/api/orders",
    tags: ["Orders (staff API)"],
    summary: "Orders, newest first, one page at a time, with counts per status",
    ...staffOnly,
    request: { query: ListOrdersQuerySchema },
    responses: {
      [HTTP.OK]: json(OrderPageSchema, "A page of orders; pass `nextCursor` back as `cursor` for the next one"),
      [HTTP.BAD_REQUEST]: errorResponse("A query parameter is out of range"),
      [HTTP.UNAUTHORIZED]: unauthenticated,
    },
  });

  const getOrder = createRoute({
    method: "get",
    path: "/api/orders/{id}",
    tags: ["Orders (staff API)"],
    summary: "One order",
    ...staffOnly,
    request: { params: OrderIdParamsSchema },
    responses: {
      [HTTP.OK]: json(OrderSchema, "The order"),
      [HTTP.BAD_REQUEST]: errorResponse("The id is not a UUID"),
      [HTTP.UNAUTHORIZED]: unauthenticated,
      [HTTP.NOT_FOUND]: errorResponse("No such order"),
    },
  });

  const getEvents = createRoute({
    method: "get",
    path: "/api/orders/{id}/events",
    tags: ["Orders (staff API)"],
    summary: "The order's event trail, oldest first",
    ...staffOnly,
    request: { params: OrderIdParamsSchema },
    responses: {
      [HTTP.OK]: json(OrderEventsSchema, "The events"),
      [HTTP.BAD_REQUEST]: errorResponse("The id is not a UUID"),
      [HTTP.UNAUTHORIZED]: unauthenticated,
      [HTTP.NOT_FOUND]: errorResponse("No such order"),
    },
  });

  const transition = createRoute({
    method: "post",
    path: "/api/orders/{id}/transitions",
    tags: ["Orders (staff API)"],
    summary: "Move an order along its lifecycle (needs X-CSRF-Token)",
    ...staffOnly,
    request: { params: OrderIdParamsSchema, body: { ...json(TransitionSchema, "The new status"), required: true } },
    responses: {
      [HTTP.OK]: json(OrderSchema, "The order, moved"),
      [HTTP.BAD_REQUEST]: errorResponse("Not a status, or a cancellation without a reason"),
      [HTTP.UNAUTHORIZED]: unauthenticated,
      [HTTP.FORBIDDEN]: errorResponse("Missing or wrong CSRF token"),
      [HTTP.NOT_FOUND]: errorResponse("No such order"),
      [HTTP.CONFLICT]: errorResponse("Not allowed from the order's current status (perhaps someone moved it first)"),
    },
  });

  const notFound = (c: Parameters<typeof jsonError>[0], id: string) => jsonError(c, HTTP.NOT_FOUND, "not_found", `No order with id ${id}.`);

  return new OpenAPIHono<AppEnv>()
    .openapi(createOrder, (c) => {
      const input = c.req.valid("json");
      const correlationId = c.get("correlationId");
      const key = c.get("idempotencyKey") ?? "";
      const rejected = rejects(input.reference);
      const answer = (order: Order): CreateAnswer =>
        rejected
          ? {
              status: HTTP.UNPROCESSABLE_ENTITY,
              body: {
                error: "order_rejected",
                message: `The warehouse does not accept references starting with "${rejectPrefix}".`,
                correlationId,
                order,
              },
            }
          : { status: HTTP.CREATED, body: order };
      const send = ({ status, body }: CreateAnswer) =>
        status === HTTP.CREATED ? c.json(body, HTTP.CREATED) : c.json(body, HTTP.UNPROCESSABLE_ENTITY);

      // Rejected orders are kept, not dropped: staff can see what was refused and why.
      const status = rejected ? "rejected" : "received";
      const result = repo.createOnce(
        input,
        { status, actor: STORE_ACTOR, correlationId },
        { key, fingerprint: fingerprint(input), answer },
      );

      switch (result.kind) {
        case "key_reused":
          logger.warn({ idempotencyKey: key, orderId: result.orderId }, "order creation refused: idempotency key reused with another body");
          return jsonError(
            c,
            HTTP.UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different order; use a new key for a new order.",
          );
        case "replayed":
          logger.info({ idempotencyKey: key, orderId: result.orderId, status: result.answer.status }, "order creation replayed");
          c.header(REPLAYED_HEADER, "true");
          // Written by `send` below the first time: the same status and the same JSON.
          return send({ status: result.answer.status, body: JSON.parse(result.answer.body) as unknown } as CreateAnswer);
        case "created": {
          const { order } = result;
          const fields = { orderId: order.id, storeOrderId: order.storeOrderId };
          if (rejected) logger.warn(fields, "order rejected");
          else logger.info({ ...fields, lines: order.lines.length, totalCents: order.totalCents }, "order received");
          return send(result.answer);
        }
      }
    })
    .openapi(listOrders, (c) => c.json({ ...repo.list(c.req.valid("query")), counts: repo.counts() }, HTTP.OK))
    .openapi(getOrder, (c) => {
      const { id } = c.req.valid("param");
      const order = repo.findById(id);
      return order ? c.json(order, HTTP.OK) : notFound(c, id);
    })
    .openapi(getEvents, (c) => {
      const { id } = c.req.valid("param");
      if (!repo.findById(id)) return notFound(c, id);
      return c.json({ items: repo.events(id) }, HTTP.OK);
    })
    .openapi(transition, (c) => {
      const { id } = c.req.valid("param");
      const { to, reason } = c.req.valid("json");
      const { user } = sessionOf(c);
      const result = repo.transition(id, { to, reason: reason ?? null, actor: user.email, correlationId: c.get("correlationId") });
      switch (result.kind) {
        case "not_found":
          return notFound(c, id);
        case "not_allowed":
          logger.info({ orderId: id, from: result.from, to }, "order transition refused");
          return jsonError(c, HTTP.CONFLICT, "invalid_transition", `This order is ${result.from}; it cannot move to ${to}.`);
        case "changed":
          logger.info({ orderId: id, to, staffId: user.id }, "order status changed");
          return c.json(result.order, HTTP.OK);
      }
    });
}
