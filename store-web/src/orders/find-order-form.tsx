"use client";

import { useActionState, useEffect, useRef } from "react";

import { Problem, TextField } from "../components/form-parts";
import { findOrderAction, type FindOrderFormState } from "./actions";

const initialState: FindOrderFormState = { status: "idle" };

export function FindOrderForm() {
  // Works without JavaScript too: the form posts to the server action, which redirects to the order.
  const [state, formAction, pending] = useActionState(findOrderAction, initialState);
  const values = "values" in state ? state.values : undefined;
  const fieldErrors = state.status === "invalid" ? state.fieldErrors : {};
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.status === "not_found" || state.status === "rate_limited") outcome.current?.focus();
  }, [state]);

  return (
    <>
      {state.status === "not_found" && (
        <Problem focusRef={outcome} title="We couldn’t find that order" reference={state.reference}>
          No order matches that email address and order number. Check both against the confirmation page you saw when you placed it and try
          again.
        </Problem>
      )}
      {state.status === "rate_limited" && (
        <Problem focusRef={outcome} title="Too many attempts" reference={state.reference}>
          Please wait {Math.ceil(state.retryAfterSeconds / 60)} {Math.ceil(state.retryAfterSeconds / 60) === 1 ? "minute" : "minutes"} and
          try again, or contact us quoting the support reference.
        </Problem>
      )}
      <form action={formAction} className="checkout find-order" noValidate>
        <TextField name="email" label="Email" type="email" autoComplete="email" values={values} errors={fieldErrors} />
        <TextField
          name="orderNumber"
          label="Order number"
          hint="It starts with ST-, like ST-000123."
          values={values}
          errors={fieldErrors}
        />
        <button type="submit" className="button" disabled={pending} aria-disabled={pending}>
          {pending ? "Finding…" : "Find order"}
        </button>
      </form>
    </>
  );
}
