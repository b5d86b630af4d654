import type { StoreOrderStatus } from "../db/schema";

/** How a customer reads each status. */
export const STATUS_LABELS: Record<StoreOrderStatus, string> = {
  pending: "Being placed",
  awaiting_confirmation: "Awaiting warehouse confirmation",
  failed: "Not placed (the warehouse could not take it)",
  received: "Received",
  picking: "Being picked",
  packed: "Packed",
  shipped: "Shipped",
  cancelled: "Cancelled",
  rejected: "Rejected by the warehouse",
};

/** Statuses after which nothing more is expected: the order page stops asking. */
export const FINAL_STATUSES: readonly StoreOrderStatus[] = ["shipped", "cancelled", "rejected"];
