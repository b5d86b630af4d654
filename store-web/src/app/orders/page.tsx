import type { Metadata } from "next";
import Link from "next/link";

import { LocalTime } from "../../components/local-time";
import { currentCustomerId } from "../../customer/customer.server";
import { formatCents } from "../../lib/catalog";
import { STATUS_LABELS } from "../../orders/order-status";
import { repos } from "../../repos.server";

export const metadata: Metadata = { title: "Your orders" };

export default async function OrdersPage() {
  const customerId = await currentCustomerId();
  const orders = customerId ? await repos().orders.listForCustomer(customerId) : [];
  return (
    <>
      <h1>Your orders</h1>
      <p className="muted">
        Orders placed from this browser, newest first. Ordered on another device? <Link href="/orders/find">Find an order</Link>.
      </p>
      {orders.length === 0 ? (
        <p>
          No orders yet. <Link href="/">Browse the products</Link>.
        </p>
      ) : (
        <table className="lines orders-table stack">
          <caption className="visually-hidden">Your orders</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">PO number</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.number}>
                <th scope="row">
                  <Link href={`/orders/${order.number}`}>{order.number}</Link>
                </th>
                <td data-label="Placed">
                  <LocalTime iso={order.createdAt} />
                </td>
                <td data-label="PO number">{order.reference}</td>
                <td data-label="Status">
                  <span className={`status-pill status-pill-${order.status}`}>{STATUS_LABELS[order.status]}</span>
                </td>
                <td className="num" data-label="Items">
                  {order.itemCount}
                </td>
                <td className="num" data-label="Total">
                  {formatCents(order.totalCents)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
