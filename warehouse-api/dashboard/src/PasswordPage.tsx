import { useState, type SubmitEvent } from "react";

import type { Session } from "./api";
import { ErrorNote } from "./ErrorNote";
import { useTitle } from "./hooks";
import { PASSWORD_HINT } from "./passwords";
import { useChangeOwnPassword } from "./queries";

const LABELS = { currentPassword: "Current password", newPassword: "New password" };

/** Every staff member's own password, changed with the current one. */
export function PasswordPage({ session }: { session: Session }) {
  useTitle("Change password");
  const change = useChangeOwnPassword(session.csrfToken);
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [again, setAgain] = useState("");
  const [mismatch, setMismatch] = useState(false);

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (newPassword !== again) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrentPassword("");
          setNewPassword("");
          setAgain("");
        },
      },
    );
  }

  return (
    <main id="content" className="page page-narrow">
      <h1>Change your password</h1>
      <form className="card" onSubmit={submit}>
        {/* For password managers: which account this password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={session.user.email} readOnly hidden />
        <div className="field">
          <label htmlFor="current-password">{LABELS.currentPassword}</label>
          <input
            id="current-password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
            value={currentPassword}
            onChange={(event) => {
              setCurrentPassword(event.target.value);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="new-password">{LABELS.newPassword}</label>
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            required
            maxLength={200}
            aria-describedby="new-password-hint"
            value={newPassword}
            onChange={(event) => {
              setNewPassword(event.target.value);
            }}
          />
          <p id="new-password-hint" className="muted small">
            {PASSWORD_HINT}
          </p>
        </div>
        <div className="field">
          <label htmlFor="new-password-again">New password again</label>
          <input
            id="new-password-again"
            type="password"
            autoComplete="new-password"
            required
            maxLength={200}
            aria-invalid={mismatch ? true : undefined}
            aria-describedby={mismatch ? "mismatch" : undefined}
            value={again}
            onChange={(event) => {
              setAgain(event.target.value);
            }}
          />
          {mismatch ? (
            <p id="mismatch" className="field-error" role="alert">
              The two new passwords differ: type the same one twice.
            </p>
          ) : null}
        </div>
        {change.isError ? <ErrorNote error={change.error} title="Your password was not changed" fieldLabels={LABELS} /> : null}
        {change.isSuccess ? (
          <p className="note note-success" role="status">
            Your password is changed. Any other sessions you had are signed out; this one stays.
          </p>
        ) : null}
        <button type="submit" className="button" disabled={change.isPending}>
          {change.isPending ? "Changing…" : "Change password"}
        </button>
      </form>
    </main>
  );
}
