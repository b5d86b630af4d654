import { createRoute, z } from "@hono/zod-openapi";

import { ErrorSchema } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import { errorContent, jsonContent, jsonContentRequired } from "../lib/openapi.js";
import { STORE_TOKEN_SCHEME } from "../middleware/require-store.js";
import { STAFF_SESSION_SCHEME } from "../staff/require-staff.js";
import { IdempotencyKeyHeadersSchema } from "./idempotency.js";
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

// Two APIs over the same orders. The service API (order creation) is what the Store calls; the staff API
// (everything else) is what the dashboard calls, behind a staff session. They are kept apart so each can
// get its own authentication; orders.routes.ts puts each route behind its gate.

const staffSession = [{ [STAFF_SESSION_SCHEME]: [] }];
const unauthenticated = errorContent("No staff session");
const readOneErrors = {
  [HTTP.BAD_REQUEST]: errorContent("The id is not a UUID"),
  [HTTP.UNAUTHORIZED]: unauthenticated,
  [HTTP.NOT_FOUND]: errorContent("No such order"),
};

export const createOrder = createRoute({
  method: "post",
  path: "/api/orders",
  tags: ["Orders (service API)"],
  summary: "Place an order (called by the Store); safe to retry with the same Idempotency-Key",
  description:
    "Feature flags come in the W3C `baggage` header, not the body: the entry `fishtag.flags` lists flag names joined with `+` " +
    "(e.g. `baggage: fishtag.flags=priority-lane`). With `priority-lane` the order is stored with `priority: true` (packed " +
    "first, listed first among received orders). Unknown flags are ignored; a malformed entry is dropped with a warning " +
    "and never changes the answer. The status events about the order carry its flags back the same way.",
  security: [{ [STORE_TOKEN_SCHEME]: [] }],
  request: { headers: IdempotencyKeyHeadersSchema, body: jsonContentRequired(CreateOrderSchema, "The order") },
  responses: {
    [HTTP.CREATED]: jsonContent(OrderSchema, "The order was received (or, with `Idempotent-Replayed: true`, had been)"),
    [HTTP.BAD_REQUEST]: errorContent(
      "No Idempotency-Key (`idempotency_key_missing`), an invalid one (`idempotency_key_invalid`), malformed JSON or a schema violation (see `issues`)",
    ),
    [HTTP.UNAUTHORIZED]: errorContent("No valid service token from the Store (`unauthenticated`)"),
    [HTTP.CONFLICT]: errorContent(
      "A request with this Idempotency-Key is still being processed (`idempotency_key_in_flight`), or the warehouse already " +
        "has an order for this storeOrderId under another key (`store_order_exists`): one order per store order",
    ),
    [HTTP.PAYLOAD_TOO_LARGE]: errorContent("The body is over 64 KB"),
    [HTTP.UNPROCESSABLE_ENTITY]: jsonContent(
      z.union([RejectedOrderSchema, ErrorSchema]),
      "The warehouse rejected the order; it is stored as `rejected` (`order_rejected`, replayed like a 201). " +
        "Or this Idempotency-Key was used with another body within 24 hours (`idempotency_key_reused`)",
    ),
  },
});

export const listOrders = createRoute({
  method: "get",
  path: "/api/orders",
  tags: ["Orders (staff API)"],
  summary: "Orders, newest first, one page at a time, with counts per status",
  security: staffSession,
  request: { query: ListOrdersQuerySchema },
  responses: {
    [HTTP.OK]: jsonContent(OrderPageSchema, "A page of orders; pass `nextCursor` back as `cursor` for the next one"),
    [HTTP.BAD_REQUEST]: errorContent("A query parameter is out of range"),
    [HTTP.UNAUTHORIZED]: unauthenticated,
  },
});

export const getOrder = createRoute({
  method: "get",
  path: "/api/orders/{id}",
  tags: ["Orders (staff API)"],
  summary: "One order",
  security: staffSession,
  request: { params: OrderIdParamsSchema },
  responses: { [HTTP.OK]: jsonContent(OrderSchema, "The order"), ...readOneErrors },
});

export const getEvents = createRoute({
  method: "get",
  path: "/api/orders/{id}/events",
  tags: ["Orders (staff API)"],
  summary: "The order's event trail, oldest first",
  security: staffSession,
  request: { params: OrderIdParamsSchema },
  responses: { [HTTP.OK]: jsonContent(OrderEventsSchema, "The events"), ...readOneErrors },
});

export const transition = createRoute({
  method: "post",
  path: "/api/orders/{id}/transitions",
  tags: ["Orders (staff API)"],
  summary: "Move an order along its lifecycle (needs X-CSRF-Token)",
  security: staffSession,
  request: { params: OrderIdParamsSchema, body: jsonContentRequired(TransitionSchema, "The new status") },
  responses: {
    [HTTP.OK]: jsonContent(OrderSchema, "The order, moved"),
    [HTTP.BAD_REQUEST]: errorContent("Not a status, or a cancellation without a reason"),
    [HTTP.UNAUTHORIZED]: unauthenticated,
    [HTTP.FORBIDDEN]: errorContent("Missing or wrong CSRF token"),
    [HTTP.NOT_FOUND]: errorContent("No such order"),
    [HTTP.CONFLICT]: errorContent("Not allowed from the order's current status (perhaps someone moved it first)"),
  },
});
