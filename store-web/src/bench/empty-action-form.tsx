"use client";

import { useActionState } from "react";

import { emptyAction, type EmptyActionState } from "./empty-action";

const idle: EmptyActionState = { at: null };

/** Posted like the cart's forms (useActionState, works without JavaScript), to an action that does nothing. */
export function EmptyActionForm() {
  const [state, formAction] = useActionState(emptyAction, idle);
  return (
    <form action={formAction} className="empty-action">
      <button type="submit" className="button">
        Post
      </button>
      <p role="status">{state.at === null ? "" : `Posted at ${state.at}.`}</p>
    </form>
  );
}
