"use client";

import { useActionState } from "react";

import { MAX_QUANTITY } from "../lib/catalog";
import { addToCartAction, type CartActionState } from "./actions";

const idle: CartActionState = { status: "idle" };

/** Works without JavaScript too: the form posts to the server action and the page renders its result. */
export function AddToCartForm({ sku, name }: { sku: string; name: string }) {
  const [state, formAction, pending] = useActionState(addToCartAction, idle);
  const id = `add-qty-${sku}`;
  return (
    <form action={formAction} className="add-to-cart" noValidate>
      <input type="hidden" name="sku" value={sku} />
      <input type="hidden" name="name" value={name} />
      <label htmlFor={id}>
        Quantity<span className="visually-hidden"> of {name}</span>
      </label>
      <input
        id={id}
        name="quantity"
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_QUANTITY}
        step={1}
        defaultValue="1"
        className="qty"
      />
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
