import type { OrderStatus } from "./api";
import { STATUS_LABELS } from "./format";

export function StatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>;
}
