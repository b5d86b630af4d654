"use client";

import { useState, useSyncExternalStore } from "react";

const noChanges = () => () => undefined;

/**
 * The support reference: the checkout's correlation ID, the one thing a customer quotes to us. Shown once
 * per outcome, selectable, with a copy button once JavaScript can offer one.
 */
export function SupportReference({ id }: { id: string }) {
  // The clipboard API exists only in a browser, and there on secure origins (https, or localhost).
  const canCopy = useSyncExternalStore(
    noChanges,
    () => window.isSecureContext && "clipboard" in navigator,
    () => false,
  );
  const [copied, setCopied] = useState(false);
  return (
    <p className="reference">
      Support reference: <code data-testid="reference">{id}</code>{" "}
      {canCopy && (
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => {
            void navigator.clipboard.writeText(id).then(() => {
              setCopied(true);
            });
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      )}
      <span className="visually-hidden" role="status">
        {copied ? "Support reference copied" : ""}
      </span>
    </p>
  );
}
