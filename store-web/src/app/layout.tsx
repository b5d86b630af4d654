import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";

import { currentCustomerId } from "../customer/customer.server";
import { requestCorrelationId } from "../lib/correlation.server";
import { repos } from "../repos.server";

import "./globals.css";

import { Providers } from "./providers";

/** The store's fish, as in its icon (app/icon.svg): drawn, so it needs no emoji font. */
function StoreMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" width="24" height="24" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#0f766e" />
      <path d="M6 16c5-7 13-7 18 0-5 7-13 7-18 0zm18 0 5-4v8z" fill="#f7f7f4" />
      <circle cx="11" cy="15" r="1.6" fill="#0f766e" />
    </svg>
  );
}

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
  const itemCount = customerId ? (await repos().carts.get(customerId)).itemCount : 0;
  return (
    <html lang="en">
      <body>
        <Providers correlationId={correlationId}>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="site-header">
            <Link href="/" className="brand">
              <StoreMark /> fishtag store
            </Link>
            <nav aria-label="Main">
              <Link href="/">Products</Link>
              <Link href="/cart">
                Cart <span className="cart-count">{itemCount}</span>
                <span className="visually-hidden"> {itemCount === 1 ? "item" : "items"}</span>
              </Link>
              <Link href="/orders">Your orders</Link>
            </nav>
          </header>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
