import Link from "next/link";

import { requestCorrelationId } from "../lib/correlation.server";

export default async function NotFound() {
  const correlationId = await requestCorrelationId();
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is no such product, order or page here.</p>
      <p>
        <Link className="button" href="/">
          Browse the products
        </Link>
      </p>
      <p className="reference">
        Reference: <code>{correlationId}</code>
      </p>
    </section>
  );
}
