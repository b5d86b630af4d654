import { z } from "zod";

import { WAREHOUSE_STATUSES } from "../orders/order-status";

/**
 * The body of POST /api/warehouse-events: the warehouse tells the store an order's status changed (the
 * README's status-event contract). A body that does not match is refused with 400, so the warehouse
 * parks it instead of retrying forever.
 */
export const StatusEventSchema = z.object({
  eventId: z.number().int().positive(),
  orderId: z.string().min(1).max(100),
  storeOrderId: z.string().min(1).max(100),
  type: z.literal("order.status_changed"),
  status: z.enum(WAREHOUSE_STATUSES),
  // Absent from events queued before the warehouse sent reasons.
  reason: z.string().max(500).nullish(),
  at: z.iso.datetime({ offset: true }),
});

export type StatusEvent = z.infer<typeof StatusEventSchema>;
