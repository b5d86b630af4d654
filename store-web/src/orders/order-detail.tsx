"use client";

import { useQuery } from "@tanstack/react-query";

import { LinesTable } from "../components/lines-table";
import { LocalTime } from "../components/local-time";
import { SupportReference } from "../components/support-reference";
import { SHIPPING_COUNTRIES } from "../lib/catalog";
import type { CustomerOrder } from "./customer-order";
import { FINAL_STATUSES, HISTORY_LABELS, STATUS_LABELS } from "./order-status";

const POLL_MS = 2_000;

async function fetchOrder(number: string): Promise<CustomerOrder> {
  const response = await fetch(`/api/orders/${encodeURIComponent(number)}`, { cache: "no-store" });
  if (!response.ok) throw new Error(`order answered ${response.status}`);
  return (await response.json()) as CustomerOrder;
}

/**
 * One order, kept current without a reload: the server renders it, then react-query asks the store's
 * route every few seconds until the order reaches a final status (the warehouse's status events
 * update the store's copy; this only reads it). `justPlaced`: the customer arrives from the checkout.
 */
export function CustomerOrderView({ initial, justPlaced }: { initial: CustomerOrder; justPlaced: boolean }) {
  const { data: order } = useQuery({
    queryKey: ["order", initial.number],
    queryFn: () => fetchOrder(initial.number),
    initialData: initial,
    // Polls from the first render: the server's copy may already be a moment old.
    initialDataUpdatedAt: 0,
    refetchInterval: (query) => (query.state.data && FINAL_STATUSES.includes(query.state.data.status) ? false : POLL_MS),
  });
  const address = order.shippingAddress;
  const country = SHIPPING_COUNTRIES.find((c) => c.code === address.country)?.name ?? address.country;

  return (
    <>
      {justPlaced && <Confirmation order={order} />}
      <h1>Order {order.number}</h1>
      <p className="order-status" role="status" aria-live="polite">
        Status: <span className={`status-pill status-pill-${order.status}`}>{STATUS_LABELS[order.status]}</span>
      </p>
      {/* The promise the priority-lane flag makes: the warehouse packs these orders first. */}
      {order.priorityLane && (
        <p className="order-lane">
          <strong>Priority lane:</strong> packed first
        </p>
      )}
      <dl className="order-facts">
        <dt>Placed</dt>
        <dd>
          <LocalTime iso={order.createdAt} />
        </dd>
        <dt>PO number</dt>
        <dd>{order.reference}</dd>
      </dl>
      <SupportReference id={order.supportReference} />

      <h2>Items</h2>
      <LinesTable
        caption={`Items in order ${order.number}`}
        lines={order.lines.map((line) => ({ ...line, lineTotalCents: line.quantity * line.unitPriceCents }))}
        charges={order}
      />

      <h2>Shipping to</h2>
      <address className="address">
        {order.customer.name}
        <br />
        {address.line1}
        <br />
        {address.line2 && (
          <>
            {address.line2}
            <br />
          </>
        )}
        {address.city} {address.postalCode}
        <br />
        {country}
      </address>

      <h2 id="history-heading">What has happened</h2>
      <ol className="history" aria-labelledby="history-heading">
        {order.history.map((change, index) => (
          <li key={index}>
            <strong>{HISTORY_LABELS[change.status]}</strong> <LocalTime iso={change.at} />
            {change.reason && <span className="history-reason">Reason: {change.reason}</span>}
          </li>
        ))}
      </ol>
    </>
  );
}

/** Straight after checkout: what happened to the order, in words, kept current as the status moves. */
function Confirmation({ order }: { order: CustomerOrder }) {
  const waiting = order.status === "awaiting_confirmation" || order.status === "pending";
  return (
    <div className={`outcome ${waiting ? "outcome-pending" : "outcome-success"}`} role="status">
      <h2>
        {waiting ? (
          <>
            Order <span data-testid="order-number">{order.number}</span> accepted — awaiting warehouse confirmation
          </>
        ) : (
          <>
            Thank you: order <span data-testid="order-number">{order.number}</span> is placed
          </>
        )}
      </h2>
      <p>
        {waiting
          ? "The warehouse could not be reached just now, but your order is safe with us: we will send it as soon as it answers."
          : "The warehouse has it."}{" "}
        This page shows its status as it changes (without JavaScript, reload it to see). Keep the support reference below if you need to
        contact us.
      </p>
    </div>
  );
}
