import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { WarehouseStatus } from "../components/warehouse-status";
import { requestCorrelationId } from "../lib/correlation.server";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: { default: "fishtag store", template: "%s · fishtag store" },
  description: "Order from the fishtag store; every order is traced end to end with one correlation ID.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const correlationId = await requestCorrelationId();
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
              <Link href="/orders/new">Checkout</Link>
            </nav>
            <WarehouseStatus />
          </header>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
