import Link from "next/link";

import { SupportReference } from "../components/support-reference";
import { requestCorrelationId } from "../lib/correlation.server";

export default async function NotFound() {
  const correlationId = await requestCorrelationId();
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is no such product, order or page here.</p>
      <p>
        An order placed on another device or browser? <Link href="/orders/find">Find it with your email and order number</Link>.
      </p>
      <p>
        <Link className="button" href="/">
          Browse the products
        </Link>
      </p>
      <SupportReference id={correlationId} />
    </section>
  );
}
