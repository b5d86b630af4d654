import type { OrderStatus } from "../db/schema.js";

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
