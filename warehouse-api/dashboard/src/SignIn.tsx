import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type SubmitEvent } from "react";

import { ApiError, signIn, type Session } from "./api";
import { ErrorNote } from "./ErrorNote";
import { useTitle } from "./hooks";
import { keys } from "./queries";

export function SignIn() {
  const client = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  useTitle("Sign in");

  // Nothing from the last session stays in memory once it is over, whoever signs in next.
  useEffect(() => {
    client.removeQueries({ queryKey: keys.orders });
    client.removeQueries({ queryKey: keys.accounts });
  }, [client]);

  const attempt = useMutation({
    mutationFn: () => signIn(email.trim(), password),
    onSuccess: (session) => {
      client.setQueryData<Session | null>(keys.session, session);
    },
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    attempt.mutate();
  }

  const error = attempt.error;
  const throttled = error instanceof ApiError && error.status === 429;

  return (
    <main className="sign-in">
      <p className="brand">fishtag warehouse</p>
      <h1>Sign in</h1>
      <p className="muted">For warehouse staff. Use the email and password you were given.</p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input
            id="email"
            type="email"
            autoComplete="username"
            required
            maxLength={254}
            value={email}
            aria-invalid={error instanceof ApiError && error.status === 401 ? true : undefined}
            onChange={(event) => {
              setEmail(event.target.value);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
            value={password}
            aria-invalid={error instanceof ApiError && error.status === 401 ? true : undefined}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
          />
        </div>
        {error ? (
          <ErrorNote
            error={error}
            {...(throttled && error.retryAfterSeconds !== null
              ? { message: `Too many attempts, try again in ${error.retryAfterSeconds} seconds.` }
              : {})}
          />
        ) : null}
        <button type="submit" className="button" disabled={attempt.isPending}>
          {attempt.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
