"use client";

import { SupportReference } from "../components/support-reference";
import { usePageCorrelationId } from "./providers";

/** Real faults only (expected failures are returned as data): a plain apology and the reference to quote. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const correlationId = usePageCorrelationId();
  return (
    <div className="outcome outcome-error" role="alert">
      <h1>Something went wrong</h1>
      <p>Sorry, this page failed. Try again, or contact us quoting the support reference below.</p>
      {correlationId && <SupportReference id={correlationId} />}
      {error.digest && <p className="muted">Error digest: {error.digest}</p>}
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
