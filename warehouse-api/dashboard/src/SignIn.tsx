import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type SubmitEvent } from "react";

import { ApiError, signIn, type Session } from "./api";
import { ErrorNote } from "./ErrorNote";
import { Field, PasswordField } from "./Field";
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
  const wrong = error instanceof ApiError && error.status === 401 ? true : undefined;

  return (
    <main className="sign-in">
      <p className="brand">fishtag warehouse</p>
      <h1>Sign in</h1>
      <p className="muted">For warehouse staff. Use the email and password you were given.</p>
      <form onSubmit={submit}>
        <Field
          id="email"
          label="Email"
          type="email"
          autoComplete="username"
          required
          maxLength={254}
          value={email}
          aria-invalid={wrong}
          onChange={setEmail}
        />
        <PasswordField
          id="password"
          label="Password"
          autoComplete="current-password"
          value={password}
          aria-invalid={wrong}
          onChange={setPassword}
        />
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
