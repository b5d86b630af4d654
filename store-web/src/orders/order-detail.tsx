"use client";

import { useQuery } from "@tanstack/react-query";

import { LinesTable } from "../components/lines-table";
import { SHIPPING_COUNTRIES } from "../lib/catalog";
import { FINAL_STATUSES, STATUS_LABELS } from "./order-status";
import type { OrderDetail } from "./orders.repo";

const POLL_MS = 2_000;

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

async function fetchOrder(number: string): Promise<OrderDetail> {
  const response = await fetch(`/api/orders/${encodeURIComponent(number)}`, { cache: "no-store" });
  if (!response.ok) throw new Error(`order answered ${response.status}`);
  return (await response.json()) as OrderDetail;
}

/**
 * One order, kept current without a reload: the server renders it, then react-query asks the store's
 * route every few seconds until the order reaches a final status (the warehouse's status events
 * update the store's copy; this only reads it).
 */
export function OrderDetailView({ initial }: { initial: OrderDetail }) {
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
      <h1>Order {order.number}</h1>
      <p className="order-status" role="status" aria-live="polite">
        Status: <span className={`status-pill status-pill-${order.status}`}>{STATUS_LABELS[order.status]}</span>
      </p>
      <p className="reference">
        Reference: <code data-testid="reference">{order.correlationId}</code>
      </p>
      <dl className="order-facts">
        <dt>Placed</dt>
        <dd>{dateFormat.format(new Date(order.createdAt))} UTC</dd>
        <dt>PO reference</dt>
        <dd>{order.reference}</dd>
        <dt>Warehouse order</dt>
        <dd>
          <code data-testid="warehouse-order-id">{order.warehouseOrderId ?? "not known yet"}</code>
        </dd>
      </dl>

      <h2>Items</h2>
      <LinesTable
        caption={`Items in order ${order.number}`}
        lines={order.lines.map((line) => ({ ...line, lineTotalCents: line.quantity * line.unitPriceCents }))}
        totalCents={order.totalCents}
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

      <h2 id="history-heading">Status history</h2>
      <ol className="history" aria-labelledby="history-heading">
        {order.history.map((change, index) => (
          <li key={index}>
            <strong>{STATUS_LABELS[change.status]}</strong>{" "}
            <span className="muted">
              {dateFormat.format(new Date(change.at))} UTC, {change.source === "checkout" ? "at checkout" : "from the warehouse"}
            </span>{" "}
            <code className="history-ref">{change.correlationId}</code>
          </li>
        ))}
      </ol>
    </>
  );
}
