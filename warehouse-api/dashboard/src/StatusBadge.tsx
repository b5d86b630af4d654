import type { OrderStatus } from "./api";
import { STATUS_LABELS } from "./format";

export function StatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>;
}

/** An order placed with the priority lane (README, "Feature flags"): staff pack it first. */
export function PriorityBadge() {
  return (
    <span className="badge badge-priority" title="Priority lane: pack this order first">
      Priority
    </span>
  );
}
