/**
 * Where a store order stands. `awaiting_confirmation`: the store has accepted the order (it is in the
 * outbox) but the warehouse has not confirmed it yet, because it could not be reached at checkout; the
 * outbox relay delivers it later. The statuses from `received` on are the warehouse's.
 */
/** The statuses the warehouse gives an order: its status events carry these. */
export const WAREHOUSE_STATUSES = ["received", "picking", "packed", "shipped", "cancelled", "rejected"] as const;

export const STORE_ORDER_STATUSES = ["pending", "awaiting_confirmation", "failed", ...WAREHOUSE_STATUSES] as const;
export type StoreOrderStatus = (typeof STORE_ORDER_STATUSES)[number];

/** Who set a status: the checkout (and the outbox relay on its behalf), or a warehouse status event. */
export const STATUS_SOURCES = ["checkout", "warehouse"] as const;
export type StatusSource = (typeof STATUS_SOURCES)[number];

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

/** How a customer reads each step of the order's history: its first step is the order being placed, not "being placed". */
export const HISTORY_LABELS: Record<StoreOrderStatus, string> = { ...STATUS_LABELS, pending: "Order placed" };

/** Statuses after which nothing more is expected: the order page stops asking. */
export const FINAL_STATUSES: readonly StoreOrderStatus[] = ["shipped", "cancelled", "rejected"];
