"use client";

import { useActionState } from "react";

import { addToCartAction, type CartActionState } from "./actions";
import { QuantityField } from "./quantity-field";

const idle: CartActionState = { status: "idle" };

/** Works without JavaScript too: the form posts to the server action and the page renders its result. */
export function AddToCartForm({ sku, name }: { sku: string; name: string }) {
  const [state, formAction, pending] = useActionState(addToCartAction, idle);
  return (
    <form action={formAction} className="add-to-cart" noValidate>
      <QuantityField sku={sku} name={name} id={`add-qty-${sku}`} min={1} defaultValue={1} />
      <button type="submit" className="button button-small" disabled={pending} aria-label={`Add ${name} to cart`}>
        {pending ? "Adding…" : "Add to cart"}
      </button>
      <p
        className={state.status === "error" ? "field-error cart-message" : "muted cart-message"}
        role={state.status === "error" ? "alert" : "status"}
      >
        {state.status === "idle" ? "" : state.message}
      </p>
    </form>
  );
}
