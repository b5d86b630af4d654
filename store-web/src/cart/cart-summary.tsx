import { LinesTable } from "../components/lines-table";
import type { Cart } from "./cart.repo";

/** The cart, read-only: on the checkout page, what is about to be ordered. */
export function CartSummary({ cart }: { cart: Cart }) {
  const lines = cart.lines.map((line) => ({
    ...line,
    note: line.available ? undefined : <span className="field-error"> (no longer available: not included)</span>,
  }));
  return <LinesTable caption="Items in your cart" lines={lines} charges={cart.charges} />;
}
