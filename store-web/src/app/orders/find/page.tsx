import type { Metadata } from "next";

import { FindOrderForm } from "../../../orders/find-order-form";

export const metadata: Metadata = { title: "Find an order" };

export default function FindOrderPage() {
  return (
    <>
      <h1>Find an order</h1>
      <p className="muted">Ordered on another device? Enter the email address you ordered with and the order number.</p>
      <FindOrderForm />
    </>
  );
}
