import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";

import { WarehouseStatus } from "../components/warehouse-status";
import { currentCustomerId } from "../customer/customer.server";
import { requestCorrelationId } from "../lib/correlation.server";
import { repos } from "../repos.server";

import "./globals.css";

import { Providers } from "./providers";

// Every page shows this customer's cart count and reads the store's database: nothing is prerendered,
// so `next build` never opens (or creates) the database.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "fishtag store", template: "%s · fishtag store" },
  description: "Order from the fishtag store; every order is traced end to end with one correlation ID.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const correlationId = await requestCorrelationId();
  const customerId = await currentCustomerId();
  const itemCount = customerId ? repos().carts.get(customerId).itemCount : 0;
  return (
    <html lang="en">
      <body>
        <Providers correlationId={correlationId}>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="site-header">
            <Link href="/" className="brand">
              <span aria-hidden="true">🐟</span> fishtag store
            </Link>
            <nav aria-label="Main">
              <Link href="/">Products</Link>
              <Link href="/cart">
                Cart <span className="cart-count">{itemCount}</span>
                <span className="visually-hidden"> {itemCount === 1 ? "item" : "items"}</span>
              </Link>
              <Link href="/orders">Your orders</Link>
            </nav>
            <WarehouseStatus />
          </header>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
