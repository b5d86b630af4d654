import type { Metadata } from "next";
import Link from "next/link";

import { CartLineForm } from "../../cart/cart-line-form";
import { ChargesList } from "../../components/charges";
import { currentCustomerId } from "../../customer/customer.server";
import { formatCents } from "../../lib/catalog";
import { ProductImage } from "../../products/product-image";
import { repos } from "../../repos.server";

export const metadata: Metadata = { title: "Your cart" };

export default async function CartPage() {
  const customerId = await currentCustomerId();
  const cart = customerId ? await repos().carts.get(customerId) : undefined;
  return (
    <>
      <h1>Your cart</h1>
      {!cart || cart.lines.length === 0 ? (
        <p>
          Your cart is empty. <Link href="/">Browse the products</Link>.
        </p>
      ) : (
        <>
          <ul className="cart" aria-label="Cart items">
            {cart.lines.map((line) => (
              <li key={line.sku} className="item cart-item">
                <ProductImage sku={line.sku} name={line.name} size="thumb" />
                <div className="item-text">
                  <h2>
                    <Link href={`/products/${line.sku}`}>{line.name}</Link>
                  </h2>
                  <p className="muted">
                    {line.available ? `${formatCents(line.unitPriceCents)} each` : "No longer available: it will not be ordered."}
                  </p>
                </div>
                <span className="price">{formatCents(line.lineTotalCents)}</span>
                <CartLineForm sku={line.sku} name={line.name} quantity={line.quantity} />
              </li>
            ))}
          </ul>
          <ChargesList charges={cart.charges} testId="cart-total" />
          <Link className="button" href="/orders/new">
            Go to checkout
          </Link>
        </>
      )}
    </>
  );
}
