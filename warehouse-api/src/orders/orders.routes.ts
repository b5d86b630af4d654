import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppDeps, AppEnv } from "../lib/app-env.js";
import { ErrorSchema, jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import { createOrdersRepo } from "./orders.repo.js";
import {
  CreateOrderSchema,
  ListOrdersQuerySchema,
  OrderIdParamsSchema,
  OrderPageSchema,
  OrderSchema,
  RejectedOrderSchema,
} from "./orders.schemas.js";

const json = <T>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errorResponse = (description: string) => json(ErrorSchema, description);

const createOrder = createRoute({
  method: "post",
  path: "/api/orders",
  tags: ["Orders"],
  summary: "Place an order (called by the Store)",
  request: { body: { ...json(CreateOrderSchema, "The order"), required: true } },
  responses: {
    [HTTP.CREATED]: json(OrderSchema, "The order was received"),
    [HTTP.BAD_REQUEST]: errorResponse("Malformed JSON or a schema violation (see `issues`)"),
    [HTTP.PAYLOAD_TOO_LARGE]: errorResponse("The body is over 64 KB"),
    [HTTP.UNPROCESSABLE_ENTITY]: json(RejectedOrderSchema, "The warehouse rejected the order; it is stored as `rejected`"),
  },
});

const getOrder = createRoute({
  method: "get",
  path: "/api/orders/{id}",
  tags: ["Orders"],
  summary: "One order",
  request: { params: OrderIdParamsSchema },
  responses: {
    [HTTP.OK]: json(OrderSchema, "The order"),
    [HTTP.BAD_REQUEST]: errorResponse("The id is not a UUID"),
    [HTTP.NOT_FOUND]: errorResponse("No such order"),
  },
});

const listOrders = createRoute({
  method: "get",
  path: "/api/orders",
  tags: ["Orders"],
  summary: "Orders, newest first, one page at a time",
  request: { query: ListOrdersQuerySchema },
  responses: {
    [HTTP.OK]: json(OrderPageSchema, "A page of orders; pass `nextCursor` back as `cursor` for the next one"),
    [HTTP.BAD_REQUEST]: errorResponse("A query parameter is out of range"),
  },
});

// Until services authenticate (a later issue), the Store is the one caller of order creation.
const STORE_ACTOR = "store";

export function ordersRoutes({ db, logger, rejectPrefix }: AppDeps) {
  const repo = createOrdersRepo(db);
  const rejects = (reference: string) =>
    rejectPrefix !== "" && reference.toLowerCase().startsWith(rejectPrefix.toLowerCase());

  return new OpenAPIHono<AppEnv>()
    .openapi(createOrder, (c) => {
      const input = c.req.valid("json");
      const correlationId = c.get("correlationId");

      if (rejects(input.reference)) {
        // Rejected orders are kept, not dropped: staff can see what was refused and why.
        const order = repo.create(input, { status: "rejected", actor: STORE_ACTOR, correlationId });
        const message = `The warehouse does not accept references starting with "${rejectPrefix}".`;
        logger.warn({ orderId: order.id, storeOrderId: order.storeOrderId, reference: order.reference }, "order rejected");
        return c.json({ error: "order_rejected" as const, message, correlationId, order }, HTTP.UNPROCESSABLE_ENTITY);
      }

      const order = repo.create(input, { status: "received", actor: STORE_ACTOR, correlationId });
      logger.info(
        { orderId: order.id, storeOrderId: order.storeOrderId, lines: order.lines.length, totalCents: order.totalCents },
        "order received",
      );
      return c.json(order, HTTP.CREATED);
    })
    .openapi(getOrder, (c) => {
      const { id } = c.req.valid("param");
      const order = repo.findById(id);
      if (!order) return jsonError(c, HTTP.NOT_FOUND, "not_found", `No order with id ${id}.`);
      return c.json(order, HTTP.OK);
    })
    .openapi(listOrders, (c) => c.json({ ...repo.list(c.req.valid("query")), counts: repo.counts() }, HTTP.OK));
}
