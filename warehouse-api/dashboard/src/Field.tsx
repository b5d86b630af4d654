import type { InputHTMLAttributes, ReactNode } from "react";

import { PASSWORD_MAX } from "./passwords";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange"> & {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Shown under the input, and read with it: the rule it must meet. */
  hint?: ReactNode;
  /** What is wrong with it now, announced. */
  error?: string | undefined;
};

/** A labelled text input as every form of the dashboard has them: label, input, hint, error. */
export function Field({ id, label, value, onChange, hint, error, ...input }: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        {...input}
        id={id}
        value={value}
        aria-invalid={error ? true : input["aria-invalid"]}
        aria-describedby={describedBy || undefined}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
      {hint ? (
        <p id={hintId} className="muted small">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A required password input: which password it is tells the browser's password manager what to offer. */
export function PasswordField(
  props: Omit<Props, "type" | "required" | "maxLength" | "autoComplete"> & { autoComplete: "current-password" | "new-password" },
) {
  return <Field {...props} type="password" required maxLength={PASSWORD_MAX} />;
}
