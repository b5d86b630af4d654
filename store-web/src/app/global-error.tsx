"use client";

/** Replaces the root layout when it fails, so it cannot use the layout's providers. */
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body>
        <main id="main">
          <h1>Something went wrong</h1>
          <p>Sorry, the store failed to load this page. Please reload in a moment.</p>
          {error.digest && (
            <p>
              Error digest: <code>{error.digest}</code> (the store's log line for this error carries it)
            </p>
          )}
        </main>
      </body>
    </html>
  );
}
