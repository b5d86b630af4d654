import { useState, type SubmitEvent } from "react";

import type { Session, StaffAccount, StaffRole } from "./api";
import { ErrorNote } from "./ErrorNote";
import { Field, PasswordField } from "./Field";
import { useTitle } from "./hooks";
import { PASSWORD_HINT } from "./passwords";
import { useAccounts, useAddAccount, useChangeAccount, useResetPassword } from "./queries";

const ROLE_LABELS: Readonly<Record<StaffRole, string>> = { admin: "Admin", staff: "Staff" };
const FIELD_LABELS = { name: "Name", email: "Email", role: "Role", password: "Password" };

type Announce = (message: string) => void;

/** An admin's page: who can sign in, and what they may do. The API enforces it (403 for other staff). */
export function AccountsPage({ session, announce }: { session: Session; announce: Announce }) {
  useTitle("Staff accounts");
  const accounts = useAccounts();

  return (
    <main id="content" className="page">
      <h1>Staff accounts</h1>
      <p className="muted">Everyone who can sign in to this dashboard. Staff move orders; admins also manage these accounts.</p>

      <section aria-labelledby="accounts-title">
        <h2 id="accounts-title">Accounts</h2>
        {accounts.isPending ? (
          <p className="muted" role="status">
            Loading accounts…
          </p>
        ) : accounts.isError && !accounts.data ? (
          <ErrorNote error={accounts.error} title="Could not load the accounts" />
        ) : (
          <ul className="accounts" aria-label="Staff accounts">
            {accounts.data.map((account) => (
              <AccountItem key={account.id} account={account} session={session} announce={announce} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="add-account-title" className="card">
        <h2 id="add-account-title">Add an account</h2>
        <AddAccountForm csrfToken={session.csrfToken} announce={announce} />
      </section>
    </main>
  );
}

function AddAccountForm({ csrfToken, announce }: { csrfToken: string; announce: Announce }) {
  const add = useAddAccount(csrfToken);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<StaffRole>("staff");
  const [password, setPassword] = useState("");

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    add.mutate(
      { name: name.trim(), email: email.trim(), role, password },
      {
        onSuccess: (account) => {
          announce(`${account.name} can now sign in as ${account.email}.`);
          setName("");
          setEmail("");
          setRole("staff");
          setPassword("");
        },
      },
    );
  }

  return (
    <form onSubmit={submit} className="add-account">
      <Field id="new-name" label="Name" required maxLength={100} autoComplete="off" value={name} onChange={setName} />
      <Field id="new-email" label="Email" type="email" required maxLength={254} autoComplete="off" value={email} onChange={setEmail} />
      <div className="field">
        <label htmlFor="new-role">Role</label>
        <select
          id="new-role"
          value={role}
          onChange={(event) => {
            setRole(event.target.value === "admin" ? "admin" : "staff");
          }}
        >
          <option value="staff">Staff: moves orders</option>
          <option value="admin">Admin: also manages accounts</option>
        </select>
      </div>
      <PasswordField
        id="new-account-password"
        label="First password"
        autoComplete="new-password"
        hint={`${PASSWORD_HINT} Tell it to them; they can change it once signed in.`}
        value={password}
        onChange={setPassword}
      />
      {add.isError ? <ErrorNote error={add.error} title="The account was not added" fieldLabels={FIELD_LABELS} /> : null}
      <button type="submit" className="button" disabled={add.isPending}>
        {add.isPending ? "Adding…" : "Add account"}
      </button>
    </form>
  );
}

function AccountItem({ account, session, announce }: { account: StaffAccount; session: Session; announce: Announce }) {
  const change = useChangeAccount(session);
  const reset = useResetPassword(session.csrfToken);
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState("");
  const isMe = account.id === session.user.id;
  const titleId = `account-${account.id}`;
  const resetId = `reset-${account.id}`;

  function changeTo(next: { role?: StaffRole; disabled?: boolean }, done: string) {
    change.mutate(
      { account, change: next },
      {
        onSuccess: () => {
          announce(done);
        },
      },
    );
  }

  function submitReset(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    reset.mutate(
      { id: account.id, password },
      {
        onSuccess: () => {
          announce(`${account.name}'s password is reset; they are signed out everywhere.`);
          setResetting(false);
          setPassword("");
        },
      },
    );
  }

  return (
    <li className={account.disabled ? "account account-disabled" : "account"} aria-labelledby={titleId}>
      <div className="account-head">
        <p className="account-who">
          <span id={titleId} className="account-name">
            {account.name}
            {isMe ? <span className="muted"> (you)</span> : null}
          </span>
          <span className="block muted small break">{account.email}</span>
        </p>
        <p className="account-badges">
          <span className={`badge badge-role-${account.role}`}>{ROLE_LABELS[account.role]}</span>
          {account.disabled ? <span className="badge badge-cancelled">Disabled</span> : null}
        </p>
      </div>
      <div className="action-buttons">
        <button
          type="button"
          className="button-small"
          disabled={change.isPending}
          onClick={() => {
            const role = account.role === "admin" ? "staff" : "admin";
            changeTo({ role }, `${account.name} is now ${ROLE_LABELS[role].toLowerCase()}.`);
          }}
        >
          {account.role === "admin" ? "Make staff" : "Make admin"}
          <span className="visually-hidden"> {account.name}</span>
        </button>
        {/* Nobody disables or resets their own account here: "Change password" asks for the current one. */}
        {isMe ? null : (
          <>
            <button
              type="button"
              className={account.disabled ? "button-small" : "button-small button-small-danger"}
              disabled={change.isPending}
              onClick={() => {
                changeTo(
                  { disabled: !account.disabled },
                  account.disabled ? `${account.name} can sign in again.` : `${account.name} is disabled and signed out.`,
                );
              }}
            >
              {account.disabled ? "Enable" : "Disable"}
              <span className="visually-hidden"> {account.name}</span>
            </button>
            <button
              type="button"
              className="button-small"
              aria-expanded={resetting}
              aria-controls={resetId}
              onClick={() => {
                setResetting((open) => !open);
              }}
            >
              Reset password<span className="visually-hidden"> of {account.name}</span>
            </button>
          </>
        )}
      </div>
      {resetting ? (
        <form id={resetId} className="reset-form" onSubmit={submitReset}>
          <PasswordField
            id={`${resetId}-password`}
            label={`New password for ${account.name}`}
            autoComplete="new-password"
            autoFocus
            hint={`${PASSWORD_HINT} Their sessions end; tell them the new one.`}
            value={password}
            onChange={setPassword}
          />
          {reset.isError ? <ErrorNote error={reset.error} title="The password was not reset" fieldLabels={FIELD_LABELS} /> : null}
          <div className="action-buttons">
            <button type="submit" className="button" disabled={reset.isPending}>
              {reset.isPending ? "Saving…" : "Set password"}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setResetting(false);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {change.isError ? <ErrorNote error={change.error} title="The account was not changed" /> : null}
    </li>
  );
}
