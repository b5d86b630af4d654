import Link from "next/link";

import { requestCorrelationId } from "../lib/correlation.server";

export default async function NotFound() {
  const correlationId = await requestCorrelationId();
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing here. <Link href="/orders/new">Go to the checkout</Link>.
      </p>
      <p className="reference">
        Reference: <code>{correlationId}</code>
      </p>
    </section>
  );
}
