import type { Context } from "hono";

import { currentFlags } from "@fishtag/tracing/flags";

import type { AppDeps, AppEnv } from "../app-env.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import type { AppRouteHandler } from "../lib/openapi.js";
import { warehouseMetrics } from "../metrics.js";
import { sessionOf } from "../staff/require-staff.js";
import { fingerprint, idempotencyKeyOf, REPLAYED_HEADER } from "./idempotency.js";
import type * as routes from "./orders.openapi.js";
import { createOrdersRepo } from "./orders.repo.js";
import type { CreateAnswer, Order } from "./orders.schemas.js";

// Order creation takes only calls with a token the Store signed (requireStore), so the Store is its actor.
const STORE_ACTOR = "store";

export function ordersHandlers({ db, logger, rejectPrefix }: AppDeps) {
  const repo = createOrdersRepo(db);
  const rejects = (reference: string) => rejectPrefix !== "" && reference.toLowerCase().startsWith(rejectPrefix.toLowerCase());
  const notFound = (c: Context<AppEnv>, id: string) => jsonError(c, HTTP.NOT_FOUND, "not_found", `No order with id ${id}.`);

  const createOrder: AppRouteHandler<typeof routes.createOrder> = async (c) => {
    const input = c.req.valid("json");
    const correlationId = c.get("correlationId");
    const key = idempotencyKeyOf(c);
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
    // The flag rides in the call's baggage, not the body (flags middleware, README "Feature flags"): the body
    // and its Idempotency-Key fingerprint stay what the order is, whatever variant the customer got.
    const priority = currentFlags().includes("priority-lane");
    const result = await repo.createOnce(
      input,
      { status, priority, actor: STORE_ACTOR, correlationId },
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
      case "store_order_exists":
        logger.warn({ idempotencyKey: key, orderId: result.orderId }, "order creation refused: the store order is already here");
        return jsonError(
          c,
          HTTP.CONFLICT,
          "store_order_exists",
          `The warehouse already has order ${result.orderId} for this storeOrderId, under another Idempotency-Key.`,
        );
      case "replayed":
        logger.info({ idempotencyKey: key, orderId: result.orderId, status: result.answer.status }, "order creation replayed");
        c.header(REPLAYED_HEADER, "true");
        warehouseMetrics().idempotentReplays.add(1);
        return send(result.answer);
      case "created": {
        const { order } = result;
        // The store's number on the lines that matter: `npm run trace -- ST-000123` finds the order by it.
        // batch: the orders committed with this one (group commit), which shows the batching at work.
        const fields = {
          orderId: order.id,
          storeOrderId: order.storeOrderId,
          storeOrderNumber: order.storeOrderNumber,
          batch: result.batchSize,
        };
        warehouseMetrics().ordersCreated.add(1, { status: order.status });
        if (rejected) logger.warn(fields, "order rejected");
        else
          logger.info({ ...fields, lines: order.lines.length, totalCents: order.totalCents, priority: order.priority }, "order received");
        return send(result.answer);
      }
    }
  };

  const listOrders: AppRouteHandler<typeof routes.listOrders> = async (c) => {
    const [page, counts] = await Promise.all([repo.list(c.req.valid("query")), repo.counts()]);
    return c.json({ ...page, counts }, HTTP.OK);
  };

  const getOrder: AppRouteHandler<typeof routes.getOrder> = async (c) => {
    const { id } = c.req.valid("param");
    const order = await repo.findById(id);
    return order ? c.json(order, HTTP.OK) : notFound(c, id);
  };

  const getEvents: AppRouteHandler<typeof routes.getEvents> = async (c) => {
    const { id } = c.req.valid("param");
    if (!(await repo.findById(id))) return notFound(c, id);
    return c.json({ items: await repo.events(id) }, HTTP.OK);
  };

  const transition: AppRouteHandler<typeof routes.transition> = async (c) => {
    const { id } = c.req.valid("param");
    const { to, reason } = c.req.valid("json");
    const { user } = sessionOf(c);
    const result = await repo.transition(id, { to, reason: reason ?? null, actor: user.email, correlationId: c.get("correlationId") });
    switch (result.kind) {
      case "not_found":
        return notFound(c, id);
      case "not_allowed":
        logger.info({ orderId: id, from: result.from, to }, "order transition refused");
        return jsonError(c, HTTP.CONFLICT, "invalid_transition", `This order is ${result.from}; it cannot move to ${to}.`);
      case "changed":
        logger.info({ orderId: id, storeOrderNumber: result.order.storeOrderNumber, to, staffId: user.id }, "order status changed");
        warehouseMetrics().transitions.add(1, { from: result.from, to });
        return c.json(result.order, HTTP.OK);
    }
  };

  return { createOrder, listOrders, getOrder, getEvents, transition };
}
