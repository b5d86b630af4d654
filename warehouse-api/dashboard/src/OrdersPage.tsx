import { useEffect, useRef, useState } from "react";

import type { Order, OrderStatus } from "./api";
import { ErrorNote } from "./ErrorNote";
import { formatAge, formatDateTime, formatMoney, itemCount, orderTitle, STATUS_LABELS, STATUSES } from "./format";
import { useDebouncedValue, useNow } from "./hooks";
import { OrderDetail } from "./OrderDetail";
import { useOrderList } from "./queries";
import { StatusBadge } from "./StatusBadge";

const SEARCH_DEBOUNCE_MS = 250;
const SKELETON_ROWS = 8;

export function OrdersPage({ csrfToken, announce }: { csrfToken: string; announce: (message: string) => void }) {
  const [status, setStatus] = useState<OrderStatus | null>(null);
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const list = useOrderList({ status, q });
  const now = useNow(15_000);

  const [selectedId, setSelectedId] = useState<string | null>(null);
  const panelRef = useRef<HTMLElement>(null);
  // Bumped on each explicit "open": focus follows the user to the panel (below the table on a tablet).
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    const panel = panelRef.current;
    if (focusRequest === 0 || !panel) return;
    // Beside the table the panel is already in view; below it (tablet), bring its top into view.
    panel.focus({ preventScroll: true });
    const { top } = panel.getBoundingClientRect();
    if (top < 0 || top > window.innerHeight - 120) panel.scrollIntoView({ block: "start" });
  }, [focusRequest]);

  function open(id: string) {
    setSelectedId(id);
    setFocusRequest((n) => n + 1);
  }

  function close() {
    const id = selectedId;
    setSelectedId(null);
    if (id) document.getElementById(openButtonId(id))?.focus();
  }

  const pages = list.data?.pages ?? [];
  const orders = pages.flatMap((page) => page.items);
  const counts = pages[0]?.counts;
  const total = counts ? STATUSES.reduce((sum, s) => sum + counts[s], 0) : undefined;

  return (
    <main id="orders" className="workspace">
      <h1 className="visually-hidden">Orders</h1>
      <div className="orders-column">
        <div className="toolbar">
          <nav aria-label="Order status" className="tabs">
            <StatusTab value={null} label="All" count={total} current={status} onSelect={setStatus} />
            {STATUSES.map((s) => (
              <StatusTab key={s} value={s} label={STATUS_LABELS[s]} count={counts?.[s]} current={status} onSelect={setStatus} />
            ))}
          </nav>
          <div className="search">
            <label htmlFor="order-search">Search orders</label>
            <input
              id="order-search"
              type="search"
              placeholder="Order number, PO number, email or reference"
              maxLength={254}
              autoComplete="off"
              spellCheck={false}
              value={search}
              onChange={(event) => {
                setSearch(event.target.value);
              }}
            />
          </div>
        </div>

        {list.isError && list.data ? (
          <ErrorNote quiet error={list.error} title="The list could not refresh: it shows the orders as last loaded." />
        ) : null}

        <div className="table-wrap" aria-busy={list.isFetching && list.isPlaceholderData}>
          <table className="orders-table">
            <caption className="visually-hidden">Orders, newest first</caption>
            <colgroup>
              <col className="col-id" />
              <col className="col-reference" />
              <col className="col-customer" />
              <col className="col-items" />
              <col className="col-total" />
              <col className="col-status" />
              <col className="col-age" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">PO number</th>
                <th scope="col">Customer</th>
                <th scope="col" className="num">
                  Items
                </th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Status</th>
                <th scope="col">Age</th>
              </tr>
            </thead>
            <tbody className={list.isPlaceholderData ? "stale" : undefined}>
              {list.isPending ? (
                Array.from({ length: SKELETON_ROWS }, (_, i) => <SkeletonRow key={i} />)
              ) : list.isError && !list.data ? (
                <tr className="message-row">
                  <td colSpan={7}>
                    <ErrorNote error={list.error} title="Could not load orders" />
                  </td>
                </tr>
              ) : orders.length === 0 ? (
                <tr className="message-row">
                  <td colSpan={7}>No orders match</td>
                </tr>
              ) : (
                orders.map((order) => <OrderRow key={order.id} order={order} now={now} selected={order.id === selectedId} onOpen={open} />)
              )}
            </tbody>
          </table>
          {list.isPending ? (
            <p className="visually-hidden" role="status">
              Loading orders…
            </p>
          ) : null}
        </div>

        <div className="list-footer">
          <p className="muted">{list.data ? `Showing ${orders.length} ${orders.length === 1 ? "order" : "orders"}` : ""}</p>
          {list.hasNextPage ? (
            <button
              type="button"
              className="button button-secondary"
              disabled={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              {list.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          ) : null}
        </div>
      </div>

      <section aria-label="Order details" className="detail-panel" ref={panelRef} tabIndex={-1}>
        {selectedId ? (
          <OrderDetail key={selectedId} id={selectedId} csrfToken={csrfToken} announce={announce} onClose={close} />
        ) : (
          <p className="muted placeholder">Select an order to see its lines, its history and the next steps.</p>
        )}
      </section>
    </main>
  );
}

const openButtonId = (orderId: string) => `open-${orderId}`;

type StatusTabProps = {
  value: OrderStatus | null;
  label: string;
  count: number | undefined;
  current: OrderStatus | null;
  onSelect: (status: OrderStatus | null) => void;
};

function StatusTab({ value, label, count, current, onSelect }: StatusTabProps) {
  return (
    <button
      type="button"
      className="tab"
      aria-pressed={value === current}
      onClick={() => {
        onSelect(value);
      }}
    >
      {label}
      {/* Named "Received (3)" for assistive tech and tests; shown as a pill. */}
      <span className="count" aria-hidden="true">
        {count ?? "…"}
      </span>
      <span className="visually-hidden">({count ?? "…"})</span>
    </button>
  );
}

function OrderRow({ order, now, selected, onOpen }: { order: Order; now: number; selected: boolean; onOpen: (id: string) => void }) {
  return (
    // The row is a mouse target; the button in its first cell is the keyboard and screen reader one.
    <tr
      className={selected ? "selected" : undefined}
      aria-current={selected ? "true" : undefined}
      onClick={() => {
        onOpen(order.id);
      }}
    >
      <td>
        <button
          type="button"
          id={openButtonId(order.id)}
          className="link-button mono"
          title={order.id}
          onClick={(event) => {
            event.stopPropagation();
            onOpen(order.id);
          }}
        >
          <span className="visually-hidden">Open order </span>
          {orderTitle(order)}
        </button>
      </td>
      <td className="truncate" title={order.reference}>
        {order.reference}
      </td>
      <td>
        <span className="truncate block">{order.customer.name}</span>
        <span className="truncate block muted small" title={order.customer.email}>
          {order.customer.email}
        </span>
      </td>
      <td className="num">{itemCount(order.lines)}</td>
      <td className="num">{formatMoney(order.totalCents)}</td>
      <td>
        <StatusBadge status={order.status} />
      </td>
      <td className="age" title={formatDateTime(order.createdAt)}>
        <time dateTime={order.createdAt}>{formatAge(order.createdAt, now)}</time>
      </td>
    </tr>
  );
}

function SkeletonRow() {
  return (
    <tr className="skeleton" aria-hidden="true">
      {Array.from({ length: 7 }, (_, i) => (
        <td key={i}>
          <span className="bone" />
        </td>
      ))}
    </tr>
  );
}
