"use client";

import { useActionState } from "react";

import { changeCartLineAction, type CartActionState } from "./actions";
import { QuantityField } from "./quantity-field";

const idle: CartActionState = { status: "idle" };

/** One cart line's quantity, with Update and Remove; works without JavaScript too. */
export function CartLineForm({ sku, name, quantity }: { sku: string; name: string; quantity: number }) {
  const [state, formAction, pending] = useActionState(changeCartLineAction, idle);
  const errorId = `cart-error-${sku}`;
  return (
    <form action={formAction} className="cart-line-form" noValidate>
      <QuantityField
        sku={sku}
        name={name}
        id={`cart-qty-${sku}`}
        min={0}
        defaultValue={quantity}
        errorId={state.status === "error" ? errorId : undefined}
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
