import { useState, type ReactNode, type SubmitEvent } from "react";

import { type Order, type OrderEvent, type OrderStatus } from "./api";
import { Copyable } from "./Copyable";
import { ErrorNote } from "./ErrorNote";
import { countryName, formatDateTime, formatMoney, NEXT_STATUSES, orderTitle, shortId, STATUS_LABELS } from "./format";
import { useTitle } from "./hooks";
import { isNoSuchOrder, useIsMoving, useMoveOrder, useOrder, useOrderEvents } from "./queries";
import { PriorityBadge, StatusBadge } from "./StatusBadge";
import { TraceDisclosure } from "./TraceView";

const REASON_MAX = 500;

type Props = {
  id: string;
  csrfToken: string;
  announce: (message: string) => void;
  onClose: () => void;
  /** On a phone the panel is the whole screen, and closing it is going back to the list. */
  fullScreen: boolean;
};

export function OrderDetail({ id, csrfToken, announce, onClose, fullScreen }: Props) {
  const order = useOrder(id);
  const saving = useIsMoving();
  useTitle(order.data ? `Order ${orderTitle(order.data)}` : isNoSuchOrder(order.error) ? "Order not found" : "Order");

  // "Saving…" sits beside Close rather than under the buttons, so a click does not shift the panel.
  const closeButton = (
    <div className="head-side">
      {saving ? (
        <span className="muted small" role="status">
          Saving…
        </span>
      ) : null}
      {fullScreen ? (
        <button type="button" className="button-small back-button" onClick={onClose}>
          <span aria-hidden="true">← </span>All orders
        </button>
      ) : (
        <button type="button" className="button-small" onClick={onClose}>
          Close<span className="visually-hidden"> order details</span>
        </button>
      )}
    </div>
  );

  // On a phone the way back comes first, where a phone's back control is; beside a list, Close ends the line.
  const head = (title: ReactNode) => (
    <div className="detail-head">
      {fullScreen ? closeButton : null}
      {title}
      {fullScreen ? null : closeButton}
    </div>
  );

  if (order.isPending) return head(<p className="muted">Loading order {shortId(id)}…</p>);
  if (order.isError && !order.data) {
    // A mistyped or cut-off link (400: not even an id) is as absent as an unknown id (404).
    if (isNoSuchOrder(order.error)) {
      return (
        <>
          {head(<h2>Order not found</h2>)}
          <p className="not-found">
            No order has the id <code className="break">{id}</code>. The link may be cut short or mistyped: search the list for the
            order&apos;s number instead.
          </p>
        </>
      );
    }
    return (
      <>
        {head(<h2>Order {shortId(id)}</h2>)}
        <ErrorNote error={order.error} title="Could not load this order" />
      </>
    );
  }

  const current = order.data;
  return (
    <>
      {head(
        <h2>
          <span className="muted small block">Order</span>
          {orderTitle(current)}
        </h2>,
      )}
      {order.isError ? <ErrorNote quiet error={order.error} title="This order could not refresh; it may be out of date." /> : null}

      <Actions order={current} csrfToken={csrfToken} announce={announce} />

      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={current.status} />
          {current.priority ? (
            <>
              {" "}
              <PriorityBadge />
            </>
          ) : null}
        </dd>
        {/* When the warehouse received it: later than the customer placed it if the order waited in the store's outbox. */}
        <dt>Received</dt>
        <dd>{formatDateTime(current.createdAt)}</dd>
        <dt>PO number</dt>
        <dd className="break">{current.reference}</dd>
        <dt>Customer</dt>
        <dd>
          {current.customer.name}
          <br />
          <a href={`mailto:${current.customer.email}`}>{current.customer.email}</a>
        </dd>
        <dt>Ship to</dt>
        <dd>
          <address>
            {[
              current.shippingAddress.line1,
              current.shippingAddress.line2,
              `${current.shippingAddress.city} ${current.shippingAddress.postalCode}`,
              countryName(current.shippingAddress.country),
            ]
              .filter((line) => line !== undefined && line !== "")
              .map((line, index) => (
                <span key={index} className="block">
                  {line}
                </span>
              ))}
          </address>
        </dd>
        <dt>Order id</dt>
        <dd className="mono small break">{current.id}</dd>
        <dt>Reference ID</dt>
        <dd>
          <Copyable value={current.correlationId} label="order reference ID" />
          <span className="block muted small">The ID of the checkout that placed it: finds it in both services’ logs.</span>
        </dd>
      </dl>

      <h3>Items</h3>
      <table className="lines-table">
        <caption className="visually-hidden">Order lines</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col" className="num">
              Each
            </th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {current.lines.map((line, index) => (
            <tr key={`${String(index)}-${line.sku}`}>
              <td>
                <span className="block">{line.name}</span>
                <span className="block muted small mono">{line.sku}</span>
              </td>
              <td className="num">{line.quantity}</td>
              <td className="num">{formatMoney(line.unitPriceCents)}</td>
              <td className="num">{formatMoney(line.unitPriceCents * line.quantity)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Subtotal
            </th>
            <td className="num">{formatMoney(current.subtotalCents)}</td>
          </tr>
          <tr>
            <th scope="row" colSpan={3}>
              Shipping
            </th>
            <td className="num">{formatMoney(current.shippingCents)}</td>
          </tr>
          <tr>
            <th scope="row" colSpan={3}>
              Order total
            </th>
            <td className="num">{formatMoney(current.totalCents)}</td>
          </tr>
          <tr className="muted small">
            <th scope="row" colSpan={3}>
              Includes VAT
            </th>
            <td className="num">{formatMoney(current.vatCents)}</td>
          </tr>
        </tfoot>
      </table>

      <h3>History</h3>
      <EventTrail id={current.id} />
    </>
  );
}

function Actions({ order, csrfToken, announce }: { order: Order; csrfToken: string; announce: (message: string) => void }) {
  const transition = useMoveOrder(csrfToken, announce);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState("");
  const next = NEXT_STATUSES[order.status];
  const canCancel = next.includes("cancelled");
  const moves = next.filter((to): to is Exclude<OrderStatus, "cancelled"> => to !== "cancelled");

  function confirmCancel(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const why = reason.trim();
    if (!why) return;
    transition.mutate(
      { order, to: "cancelled", reason: why },
      {
        onSuccess: () => {
          setCancelling(false);
          setReason("");
        },
      },
    );
  }

  return (
    <div className="actions">
      {next.length === 0 ? (
        <p className="muted small">No further steps: this order is {STATUS_LABELS[order.status].toLowerCase()}.</p>
      ) : (
        <div className="action-buttons">
          {moves.map((to) => (
            <button
              key={to}
              type="button"
              className="button"
              disabled={transition.isPending}
              onClick={() => {
                transition.mutate({ order, to });
              }}
            >
              Move to {to}
            </button>
          ))}
          {canCancel ? (
            <button
              type="button"
              className="button button-danger-outline"
              aria-expanded={cancelling}
              aria-controls="cancel-form"
              disabled={transition.isPending}
              onClick={() => {
                setCancelling((open) => !open);
              }}
            >
              Cancel order
            </button>
          ) : null}
        </div>
      )}

      {cancelling && canCancel ? (
        <form id="cancel-form" className="cancel-form" onSubmit={confirmCancel}>
          <label htmlFor="cancel-reason">Why is this order cancelled?</label>
          <textarea
            id="cancel-reason"
            required
            maxLength={REASON_MAX}
            rows={3}
            autoFocus
            value={reason}
            aria-describedby="cancel-reason-hint"
            onChange={(event) => {
              setReason(event.target.value);
            }}
          />
          <p id="cancel-reason-hint" className="muted small">
            Required; it stays in the order's history. {reason.length}/{REASON_MAX}
          </p>
          <div className="action-buttons">
            <button type="submit" className="button button-danger" disabled={transition.isPending || reason.trim() === ""}>
              Confirm cancellation
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={transition.isPending}
              onClick={() => {
                setCancelling(false);
              }}
            >
              Keep order
            </button>
          </div>
        </form>
      ) : null}

      {transition.isError ? <ErrorNote error={transition.error} title="The order was not changed" /> : null}
    </div>
  );
}

function EventTrail({ id }: { id: string }) {
  const events = useOrderEvents(id);
  if (events.isPending) return <p className="muted">Loading history…</p>;
  if (events.isError && !events.data) return <ErrorNote quiet error={events.error} title="Could not load the history" />;
  return (
    <ol aria-label="Event trail" className="trail">
      {events.data.map((event) => (
        <EventItem key={event.id} event={event} />
      ))}
    </ol>
  );
}

function EventItem({ event }: { event: OrderEvent }) {
  return (
    <li>
      <p className="trail-head">
        <time dateTime={event.at}>{formatDateTime(event.at)}</time>
        <span className="muted"> · {event.actor}</span>
      </p>
      <p className="trail-change">
        {event.fromStatus ? (
          <>
            <StatusBadge status={event.fromStatus} /> <span aria-hidden="true">→</span>
            <span className="visually-hidden">to</span> <StatusBadge status={event.toStatus} />
          </>
        ) : (
          <>
            {event.type === "rejected" ? "Arrived and was rejected: " : "Arrived: "}
            <StatusBadge status={event.toStatus} />
          </>
        )}
      </p>
      {event.reason ? <p className="trail-reason">“{event.reason}”</p> : null}
      <p className="small">
        <span className="muted">Reference ID </span>
        <Copyable value={event.correlationId} label={`reference ID of event ${event.id}`} />
      </p>
      <TraceDisclosure correlationId={event.correlationId} at={event.at} label={`event ${event.id}`} />
    </li>
  );
}
