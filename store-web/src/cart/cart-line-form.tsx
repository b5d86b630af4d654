"use client";

import { useActionState } from "react";

import { MAX_QUANTITY } from "../lib/catalog";
import { changeCartLineAction, type CartActionState } from "./actions";

const idle: CartActionState = { status: "idle" };

/** One cart line's quantity, with Update and Remove; works without JavaScript too. */
export function CartLineForm({ sku, name, quantity }: { sku: string; name: string; quantity: number }) {
  const [state, formAction, pending] = useActionState(changeCartLineAction, idle);
  const id = `cart-qty-${sku}`;
  const errorId = `cart-error-${sku}`;
  return (
    <form action={formAction} className="cart-line-form" noValidate>
      <input type="hidden" name="sku" value={sku} />
      <input type="hidden" name="name" value={name} />
      <label htmlFor={id}>
        Quantity<span className="visually-hidden"> of {name}</span>
      </label>
      <input
        // A new key per saved quantity: the field shows what the cart now holds after each change.
        key={quantity}
        id={id}
        name="quantity"
        type="number"
        inputMode="numeric"
        min={0}
        max={MAX_QUANTITY}
        step={1}
        defaultValue={String(quantity)}
        className="qty"
        aria-invalid={state.status === "error" ? true : undefined}
        aria-describedby={state.status === "error" ? errorId : undefined}
      />
      <button type="submit" name="intent" value="update" className="button button-small" disabled={pending} aria-label={`Update ${name}`}>
        Update
      </button>
      <button
        type="submit"
        name="intent"
        value="remove"
        className="button button-small button-secondary"
        disabled={pending}
        aria-label={`Remove ${name}`}
      >
        Remove
      </button>
      {state.status === "error" && (
        <p id={errorId} className="field-error cart-message" role="alert">
          {state.message}
        </p>
      )}
    </form>
  );
}
