import { useEffect, useRef, useState } from "react";

import type { Order, OrderStatus } from "./api";
import { ErrorNote } from "./ErrorNote";
import { formatAge, formatDateTime, formatMoney, itemCount, orderTitle, STATUS_LABELS, STATUSES } from "./format";
import { PHONE, useDebouncedValue, useMediaQuery, useNow, useTitle } from "./hooks";
import { OrderDetail } from "./OrderDetail";
import { useOrderFromLink, useOrderList } from "./queries";
import { navigate, openedOverList, paths } from "./router";
import { PriorityBadge, StatusBadge } from "./StatusBadge";

const SEARCH_DEBOUNCE_MS = 250;
const SKELETON_ROWS = 8;

type Props = {
  /** The order the address names (/orders/:id), open beside the list; or null, the list alone. */
  orderId: string | null;
  csrfToken: string;
  announce: (message: string) => void;
};

/** A link that named the order by its number: replaced by the order's own address, as if opened there. */
const openByNumber = (id: string) => {
  navigate(paths.order(id), { replace: true });
};

export function OrdersPage({ orderId, csrfToken, announce }: Props) {
  const [status, setStatus] = useState<OrderStatus | null>(null);
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const list = useOrderList({ status, q });
  const now = useNow(15_000);
  // On a phone an open order is a full-screen panel over the list, which is out of reach meanwhile.
  const phone = useMediaQuery(PHONE);
  const covered = phone && orderId !== null;
  useTitle("Orders");

  const selectedId = useOrderFromLink(orderId, openByNumber);
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

  // Closed by Close, Back or a link: focus returns to the order's row, where the user left the list.
  const shown = useRef(orderId);
  useEffect(() => {
    const previous = shown.current;
    shown.current = orderId;
    if (previous && !orderId) document.getElementById(openButtonId(previous))?.focus();
  }, [orderId]);

  function open(id: string) {
    // Opening an order from the list is a step Back undoes; opening another in its place replaces it, so
    // Back (and Close, which is Back then) always returns to the list.
    if (selectedId === null) navigate(paths.order(id), { state: { overList: true } });
    else navigate(paths.order(id), { replace: true, state: { overList: openedOverList() } });
    setFocusRequest((n) => n + 1);
  }

  function close() {
    if (openedOverList()) window.history.back();
    else navigate(paths.orders);
  }

  const pages = list.data?.pages ?? [];
  const orders = pages.flatMap((page) => page.items);
  const counts = pages[0]?.counts;
  const total = counts ? STATUSES.reduce((sum, s) => sum + counts[s], 0) : undefined;

  return (
    <main id="content" className={selectedId ? "workspace has-detail" : "workspace"}>
      <h1 className="visually-hidden">Orders</h1>
      <div className="orders-column" inert={covered}>
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
              placeholder="Order, PO, email or reference ID"
              aria-describedby="order-search-hint"
              maxLength={254}
              autoComplete="off"
              spellCheck={false}
              value={search}
              onChange={(event) => {
                setSearch(event.target.value);
              }}
            />
            <p id="order-search-hint" className="visually-hidden">
              Finds an order by its number, its PO number, the customer&apos;s email, or the reference ID of any step in its history.
            </p>
          </div>
        </div>

        {list.isError && list.data ? (
          <ErrorNote quiet error={list.error} title="The list could not refresh: it shows the orders as last loaded." />
        ) : null}

        <div className="table-wrap" aria-busy={list.isFetching && list.isPlaceholderData}>
          <table className="orders-table">
            <caption className="visually-hidden">
              {status === "received" ? "Orders, priority first, then newest first" : "Orders, newest first"}
            </caption>
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
          <OrderDetail key={selectedId} id={selectedId} csrfToken={csrfToken} announce={announce} onClose={close} fullScreen={phone} />
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
  const items = itemCount(order.lines);
  return (
    // The row is a mouse target; the button in its first cell is the keyboard and screen reader one.
    <tr
      className={selected ? "selected" : undefined}
      aria-current={selected ? "true" : undefined}
      onClick={() => {
        onOpen(order.id);
      }}
    >
      <td className="cell-order">
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
        {order.priority ? (
          <>
            {" "}
            <PriorityBadge />
          </>
        ) : null}
      </td>
      <td className="break cell-reference">
        <span className="phone-label">PO </span>
        {order.reference}
      </td>
      <td className="cell-customer">
        <span className="truncate block">{order.customer.name}</span>
        {/* Wrapped, never cut: staff copy the email, and a shortened one is a different address. */}
        <span className="break block muted small">{order.customer.email}</span>
      </td>
      <td className="num cell-items">
        {items}
        <span className="phone-label"> {items === 1 ? "item" : "items"}</span>
      </td>
      <td className="num cell-total">{formatMoney(order.totalCents)}</td>
      <td className="cell-status">
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
