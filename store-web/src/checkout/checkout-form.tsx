"use client";

import { useActionState, useEffect, useRef } from "react";

import { FieldError, Problem, TextField } from "../components/form-parts";
import { SHIPPING_COUNTRIES } from "../lib/catalog";
import { placeOrderAction, type CheckoutFormState } from "./actions";
import type { FieldErrors } from "./checkout.schema";

const initialState: CheckoutFormState = { status: "idle" };

export function CheckoutForm() {
  // Works without JavaScript too: the form posts to the server action and the page renders its result.
  const [state, formAction, pending] = useActionState(placeOrderAction, initialState);
  const values = "values" in state ? state.values : undefined;
  const fieldErrors: FieldErrors = state.status === "invalid" ? state.fieldErrors : {};

  return (
    <>
      <Outcome state={state} />
      <form action={formAction} className="checkout" noValidate aria-describedby="checkout-help">
        <p id="checkout-help" className="visually-hidden">
          All fields except address line 2 are required.
        </p>
        {fieldErrors.items && (
          <div className="items-error">
            <FieldError id="items-error" message={fieldErrors.items} />
          </div>
        )}

        <fieldset>
          <legend>Your details</legend>
          <TextField name="name" label="Full name" autoComplete="name" values={values} errors={fieldErrors} />
          <TextField name="email" label="Email" type="email" autoComplete="email" values={values} errors={fieldErrors} />
          <TextField
            name="reference"
            label="PO number"
            hint="Your purchase order number, up to 64 characters."
            values={values}
            errors={fieldErrors}
          />
        </fieldset>

        <fieldset>
          <legend>Shipping address</legend>
          <TextField name="line1" label="Address line 1" autoComplete="address-line1" values={values} errors={fieldErrors} />
          <TextField name="line2" label="Address line 2 (optional)" autoComplete="address-line2" values={values} errors={fieldErrors} />
          <div className="row">
            <TextField name="city" label="Town or city" autoComplete="address-level2" values={values} errors={fieldErrors} />
            <TextField name="postalCode" label="Postcode" autoComplete="postal-code" values={values} errors={fieldErrors} />
          </div>
          <div className="field">
            <label htmlFor="country">Country</label>
            {fieldErrors.country && <FieldError id="country-error" message={fieldErrors.country} />}
            <select
              id="country"
              name="country"
              autoComplete="country"
              defaultValue={values?.country ?? "GB"}
              aria-invalid={fieldErrors.country ? true : undefined}
              aria-describedby={fieldErrors.country ? "country-error" : undefined}
            >
              {SHIPPING_COUNTRIES.map((country) => (
                <option key={country.code} value={country.code}>
                  {country.name}
                </option>
              ))}
            </select>
          </div>
        </fieldset>

        <button type="submit" className="button" disabled={pending} aria-disabled={pending}>
          {pending ? "Placing order…" : "Place order"}
        </button>
      </form>
    </>
  );
}

/** The result of the last submission, announced to screen readers and focused so keyboard users land on it. */
function Outcome({ state }: { state: CheckoutFormState }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.status !== "idle") ref.current?.focus();
  }, [state]);

  if (state.status === "idle") return null;
  // An order the store takes leaves this page for its own (the action redirects): what is left are the
  // outcomes that keep the form, each with the reference to quote.
  switch (state.status) {
    case "rejected":
      return (
        <Problem focusRef={ref} title="The warehouse rejected this order" reference={state.reference}>
          {state.message} Change the PO number and try again, or contact us quoting the support reference below.
        </Problem>
      );
    case "invalid":
      return (
        <Problem focusRef={ref} title="Please correct the highlighted fields" reference={state.reference}>
          {Object.keys(state.fieldErrors).length === 1 ? "One field needs" : "Some fields need"} your attention.
        </Problem>
      );
    case "failed":
      return (
        <Problem focusRef={ref} title="We couldn’t place this order" reference={state.reference}>
          The warehouse could not take it. Your cart and details are kept below: please try again, or contact us quoting the support
          reference.
        </Problem>
      );
    case "rate_limited":
      return (
        <Problem focusRef={ref} title="Too many checkouts from this connection" reference={state.reference}>
          Your order was not placed. Please wait {state.retryAfterSeconds} {state.retryAfterSeconds === 1 ? "second" : "seconds"} and try
          again; your cart and details are kept below.
        </Problem>
      );
  }
}
