import type { Metadata } from "next";
import { CheckoutForm } from "../../../checkout/checkout-form";

export const metadata: Metadata = { title: "Checkout" };

export default function CheckoutPage() {
  return (
    <>
      <h1>Checkout</h1>
      <p className="muted">Choose quantities, tell us where to send them, and add your purchase order reference.</p>
      <CheckoutForm />
    </>
  );
}
