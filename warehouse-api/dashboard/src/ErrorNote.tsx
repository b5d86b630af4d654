import type { ReactNode } from "react";

import { ApiError } from "./api";
import { Copyable } from "./Copyable";

/** An error as staff see it: what happened, and the Reference that finds it in the logs. */
export function ErrorNote({
  error,
  title,
  message = error instanceof Error ? error.message : "Something went wrong.",
  quiet = false,
  fieldLabels = {},
  children,
}: {
  error: unknown;
  title?: string;
  /** Says it better than the server's message, when the page knows more. */
  message?: string;
  /** For a failure that repeats by itself (a poll): shown, but not announced every few seconds. */
  quiet?: boolean;
  /** What the form calls each field the API names in `issues` ("newPassword" is "New password"). */
  fieldLabels?: Readonly<Record<string, string>>;
  children?: ReactNode;
}) {
  const apiError = error instanceof ApiError ? error : null;
  return (
    <div className={quiet ? "note note-warning" : "note note-error"} role={quiet ? undefined : "alert"}>
      {title ? <p className="note-title">{title}</p> : null}
      <p>{message}</p>
      {apiError && apiError.issues.length > 0 ? (
        <ul>
          {apiError.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path ? `${fieldLabels[issue.path] ?? issue.path}: ` : ""}
              {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
      {apiError ? (
        <p className="reference">
          Reference: <Copyable value={apiError.correlationId} label="error reference" />
        </p>
      ) : null}
      {children}
    </div>
  );
}
