import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppDeps, AppEnv } from "../lib/app-env.js";
import { ErrorSchema, jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import { sessionOf } from "../staff/require-staff.js";
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
} from "./orders.schemas.js";

const json = <T>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errorResponse = (description: string) => json(ErrorSchema, description);

// Until services authenticate (a later issue), the Store is the one caller of order creation.
const STORE_ACTOR = "store";

/**
 * Two APIs over the same orders. The service API (order creation) is what the Store calls; the staff
 * API (everything else) is what the dashboard calls, behind a staff session. They are kept apart so
 * each can get its own authentication.
 */
export function ordersRoutes({ db, logger, rejectPrefix }: AppDeps, staffGate: MiddlewareHandler<AppEnv>) {
  const repo = createOrdersRepo(db);
  const rejects = (reference: string) =>
    rejectPrefix !== "" && reference.toLowerCase().startsWith(rejectPrefix.toLowerCase());

  const staffOnly = {
    middleware: staffGate,
    security: [{ staffSession: [] }],
  };
  const unauthenticated = errorResponse("No staff session");

  const createOrder = createRoute({
    method: "post",
    path: "/api/orders",
    tags: ["Orders (service API)"],
    summary: "Place an order (called by the Store)",
    request: { body: { ...json(CreateOrderSchema, "The order"), required: true } },
    responses: {
      [HTTP.CREATED]: json(OrderSchema, "The order was received"),
      [HTTP.BAD_REQUEST]: errorResponse("Malformed JSON or a schema violation (see `issues`)"),
      [HTTP.PAYLOAD_TOO_LARGE]: errorResponse("The body is over 64 KB"),
      [HTTP.UNPROCESSABLE_ENTITY]: json(RejectedOrderSchema, "The warehouse rejected the order; it is stored as `rejected`"),
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

  const notFound = (c: Parameters<typeof jsonError>[0], id: string) =>
    jsonError(c, HTTP.NOT_FOUND, "not_found", `No order with id ${id}.`);

  return new OpenAPIHono<AppEnv>()
    .openapi(createOrder, (c) => {
      const input = c.req.valid("json");
      const correlationId = c.get("correlationId");

      if (rejects(input.reference)) {
        // Rejected orders are kept, not dropped: staff can see what was refused and why.
        const order = repo.create(input, { status: "rejected", actor: STORE_ACTOR, correlationId });
        const message = `The warehouse does not accept references starting with "${rejectPrefix}".`;
        logger.warn({ orderId: order.id, storeOrderId: order.storeOrderId }, "order rejected");
        return c.json({ error: "order_rejected" as const, message, correlationId, order }, HTTP.UNPROCESSABLE_ENTITY);
      }

      const order = repo.create(input, { status: "received", actor: STORE_ACTOR, correlationId });
      logger.info(
        { orderId: order.id, storeOrderId: order.storeOrderId, lines: order.lines.length, totalCents: order.totalCents },
        "order received",
      );
      return c.json(order, HTTP.CREATED);
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
