// An order's life, as the business sees it. The tables store these values (db/schema.ts) and the API
// validates them (orders.schemas.ts); neither defines them.

export const ORDER_STATUSES = ["received", "picking", "packed", "shipped", "cancelled", "rejected"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What an order's trail records: its creation (or rejection), then each move between statuses. */
export const ORDER_EVENT_TYPES = ["created", "rejected", "status_changed"] as const;

/**
 * Which status may follow which. `rejected` (the F rule), `shipped` and `cancelled` are final; an order can
 * be cancelled until it has shipped.
 */
export const NEXT_STATUSES: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  received: ["picking", "cancelled"],
  picking: ["packed", "cancelled"],
  packed: ["shipped", "cancelled"],
  shipped: [],
  cancelled: [],
  rejected: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT_STATUSES[from].includes(to);
}

/** A cancellation must say why: staff and the customer will ask. */
export const REASON_REQUIRED: ReadonlySet<OrderStatus> = new Set(["cancelled"]);
