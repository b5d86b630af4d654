import type { Metadata } from "next";
import Link from "next/link";

import { CartSummary } from "../../../cart/cart-summary";
import { CheckoutForm } from "../../../checkout/checkout-form";
import { currentCustomerId } from "../../../customer/customer.server";
import { repos } from "../../../repos.server";

export const metadata: Metadata = { title: "Checkout" };

export default async function CheckoutPage() {
  const customerId = await currentCustomerId();
  const cart = customerId ? await repos().carts.get(customerId) : undefined;
  return (
    <>
      <h1>Checkout</h1>
      {cart && cart.lines.length > 0 ? (
        <>
          <p className="muted">Tell us where to send your order, and add your purchase order number.</p>
          <section aria-labelledby="cart-heading" className="checkout-cart">
            <h2 id="cart-heading">Your order</h2>
            <CartSummary cart={cart} />
            <p>
              <Link href="/cart">Change your cart</Link>
            </p>
          </section>
          <CheckoutForm />
        </>
      ) : (
        // Nothing to check out: no form to fill in for nothing.
        <p>
          Your cart is empty. <Link href="/">Browse the products</Link> and add something first.
        </p>
      )}
    </>
  );
}
