import { useState, type SubmitEvent } from "react";

import type { Session } from "./api";
import { ErrorNote } from "./ErrorNote";
import { PasswordField } from "./Field";
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
        <PasswordField
          id="current-password"
          label={LABELS.currentPassword}
          autoComplete="current-password"
          value={currentPassword}
          onChange={setCurrentPassword}
        />
        <PasswordField
          id="new-password"
          label={LABELS.newPassword}
          autoComplete="new-password"
          hint={PASSWORD_HINT}
          value={newPassword}
          onChange={setNewPassword}
        />
        <PasswordField
          id="new-password-again"
          label="New password again"
          autoComplete="new-password"
          error={mismatch ? "The two new passwords differ: type the same one twice." : undefined}
          value={again}
          onChange={setAgain}
        />
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
