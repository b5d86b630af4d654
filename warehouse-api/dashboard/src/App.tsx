import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { signOut, type Session } from "./api";
import { ErrorNote } from "./ErrorNote";
import { OrdersPage } from "./OrdersPage";
import { keys, useSession } from "./queries";
import { SignIn } from "./SignIn";

export function App() {
  const session = useSession();

  if (session.isPending) {
    return (
      <main className="center" aria-busy="true">
        <p className="muted">Loading…</p>
      </main>
    );
  }
  if (session.isError) {
    return (
      <main className="center">
        <ErrorNote error={session.error} title="The dashboard could not start">
          <button type="button" className="button" onClick={() => void session.refetch()}>
            Try again
          </button>
        </ErrorNote>
      </main>
    );
  }
  return session.data ? <Dashboard session={session.data} /> : <SignIn />;
}

function Dashboard({ session }: { session: Session }) {
  const client = useQueryClient();
  // Re-keyed per message so that saying the same thing twice is announced twice.
  const [announcement, setAnnouncement] = useState({ text: "", key: 0 });
  const announce = (text: string) => {
    setAnnouncement((previous) => ({ text, key: previous.key + 1 }));
  };

  const signingOut = useMutation({
    mutationFn: () => signOut(session.csrfToken),
    onSuccess: () => client.setQueryData<Session | null>(keys.session, null),
  });

  return (
    <>
      <a className="skip-link" href="#orders">
        Skip to orders
      </a>
      <header className="site-header">
        <span className="brand">fishtag warehouse</span>
        <p className="who">
          <span className="who-name">{session.user.name}</span>
          <span className="muted">{session.user.email}</span>
        </p>
        <button
          type="button"
          className="button button-secondary"
          disabled={signingOut.isPending}
          onClick={() => {
            signingOut.mutate();
          }}
        >
          {signingOut.isPending ? "Signing out…" : "Sign out"}
        </button>
      </header>
      {signingOut.isError ? (
        <div className="page-notes">
          <ErrorNote error={signingOut.error} title="Could not sign out" />
        </div>
      ) : null}
      <div className="announcer" aria-live="polite" aria-atomic="true">
        <span key={announcement.key}>{announcement.text}</span>
      </div>
      <OrdersPage csrfToken={session.csrfToken} announce={announce} />
    </>
  );
}
