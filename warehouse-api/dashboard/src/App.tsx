import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { AccountsPage } from "./AccountsPage";
import { signOut, type Session } from "./api";
import { ErrorNote } from "./ErrorNote";
import { useTitle } from "./hooks";
import { OrdersPage } from "./OrdersPage";
import { PasswordPage } from "./PasswordPage";
import { keys, useSession } from "./queries";
import { Link, paths, useRoute, type Route } from "./router";
import { SignIn } from "./SignIn";

export function App() {
  const session = useSession();
  const route = useRoute();

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
  // Signed out, the address stays what it was: once signed in, the same URL shows the order it names.
  return session.data ? <Dashboard session={session.data} route={route} /> : <SignIn />;
}

function Dashboard({ session, route }: { session: Session; route: Route }) {
  const client = useQueryClient();
  // Re-keyed per message so that saying the same thing twice is announced twice.
  const [announcement, setAnnouncement] = useState({ text: "", key: 0 });
  const announce = (text: string) => {
    setAnnouncement((previous) => ({ text, key: previous.key + 1 }));
  };
  const isAdmin = session.user.role === "admin";

  const signingOut = useMutation({
    mutationFn: () => signOut(session.csrfToken),
    onSuccess: () => client.setQueryData<Session | null>(keys.session, null),
  });

  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="site-header">
        <Link to={paths.orders} className="brand">
          fishtag warehouse
        </Link>
        <nav aria-label="Dashboard" className="site-nav">
          <NavLink to={paths.orders} current={route.page === "orders"}>
            Orders
          </NavLink>
          {isAdmin ? (
            <NavLink to={paths.accounts} current={route.page === "accounts"}>
              Staff accounts
            </NavLink>
          ) : null}
          <a href="/docs">API docs</a>
        </nav>
        <div className="who">
          <p className="who-text">
            <span className="who-name">{session.user.name}</span>
            <span className="muted small">{session.user.email}</span>
          </p>
          <NavLink to={paths.password} current={route.page === "password"}>
            Change password
          </NavLink>
        </div>
        <button
          type="button"
          className="button button-secondary sign-out"
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
      {route.page === "orders" ? (
        <OrdersPage orderId={route.orderId} csrfToken={session.csrfToken} announce={announce} />
      ) : route.page === "accounts" ? (
        isAdmin ? (
          <AccountsPage session={session} announce={announce} />
        ) : (
          <NotHere title="Staff accounts" text="Only an admin can manage staff accounts. Ask one if someone needs an account." />
        )
      ) : route.page === "password" ? (
        <PasswordPage session={session} />
      ) : (
        <NotHere title="Page not found" text="There is no such page in the dashboard." />
      )}
    </>
  );
}

function NavLink({ to, current, children }: { to: string; current: boolean; children: string }) {
  return (
    <Link to={to} aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}

function NotHere({ title, text }: { title: string; text: string }) {
  useTitle(title);
  return (
    <main id="content" className="page">
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link to={paths.orders}>Back to the orders</Link>
      </p>
    </main>
  );
}
