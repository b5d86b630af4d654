import type { Metadata } from "next";
import Link from "next/link";

import { currentCustomerId } from "../../customer/customer.server";
import { formatCents } from "../../lib/catalog";
import { STATUS_LABELS } from "../../orders/order-status";
import { repos } from "../../repos.server";

export const metadata: Metadata = { title: "Your orders" };

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function OrdersPage() {
  const customerId = await currentCustomerId();
  const orders = customerId ? repos().orders.listForCustomer(customerId) : [];
  return (
    <>
      <h1>Your orders</h1>
      <p className="muted">Orders placed from this browser, newest first.</p>
      {orders.length === 0 ? (
        <p>
          No orders yet. <Link href="/">Browse the products</Link>.
        </p>
      ) : (
        <table className="lines orders-table">
          <caption className="visually-hidden">Your orders</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed (UTC)</th>
              <th scope="col">PO reference</th>
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
                <td>{dateFormat.format(new Date(order.createdAt))}</td>
                <td>{order.reference}</td>
                <td>
                  <span className={`status-pill status-pill-${order.status}`}>{STATUS_LABELS[order.status]}</span>
                </td>
                <td className="num">{order.itemCount}</td>
                <td className="num">{formatCents(order.totalCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
