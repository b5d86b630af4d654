import type { ReactNode, Ref } from "react";

import { SupportReference } from "./support-reference";

// The pieces the store's forms share: a labelled field with its hint and error (tied together with
// aria-describedby), and the box a refused submission shows with its support reference.

export function TextField<Field extends string>({
  name,
  label,
  hint,
  type = "text",
  autoComplete,
  inputMode,
  values,
  errors,
}: {
  name: Field;
  label: string;
  hint?: string;
  type?: "text" | "email";
  autoComplete?: string;
  inputMode?: "text" | "email" | "numeric";
  values: Partial<Record<Field, string>> | undefined;
  errors: Partial<Record<Field, string>>;
}) {
  const error = errors[name];
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      {hint && (
        <p id={`${name}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && <FieldError id={`${name}-error`} message={error} />}
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        inputMode={inputMode}
        defaultValue={values?.[name] ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
    </div>
  );
}

export function FieldError({ id, message }: { id: string; message: string }) {
  return (
    <p id={id} className="field-error">
      {message}
    </p>
  );
}

/** A submission that did not go through: what happened, what to do, and the reference to quote. */
export function Problem({
  focusRef,
  title,
  reference,
  children,
}: {
  focusRef: Ref<HTMLDivElement>;
  title: string;
  reference: string;
  children: ReactNode;
}) {
  return (
    <div ref={focusRef} tabIndex={-1} className="outcome outcome-error" role="alert">
      <h2>{title}</h2>
      <p>{children}</p>
      <SupportReference id={reference} />
    </div>
  );
}
