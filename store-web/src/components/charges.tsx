import { formatCents } from "../lib/catalog";
import { FREE_SHIPPING_FROM_CENTS, type Charges } from "../lib/pricing";

const shipping = (charges: Charges) => (charges.shippingCents === 0 ? "Free" : formatCents(charges.shippingCents));

/** What a cart costs, as a shop shows it: subtotal, shipping, the total, and the VAT it includes. */
export function ChargesList({ charges, testId }: { charges: Charges; testId: string }) {
  return (
    <dl className="charges">
      <dt>Subtotal</dt>
      <dd>{formatCents(charges.subtotalCents)}</dd>
      <dt>Shipping</dt>
      <dd>{shipping(charges)}</dd>
      <dt className="charges-total">Total</dt>
      <dd className="charges-total" data-testid={testId}>
        {formatCents(charges.totalCents)}
      </dd>
      <dt className="muted">Includes VAT</dt>
      <dd className="muted">{formatCents(charges.vatCents)}</dd>
      {charges.shippingCents > 0 && <dd className="charges-note muted">Free shipping from {formatCents(FREE_SHIPPING_FROM_CENTS)}.</dd>}
    </dl>
  );
}

/** The same figures as the last rows of a table of lines (`span`: the columns before the amounts). */
export function ChargesRows({ charges, span, totalTestId }: { charges: Charges; span: number; totalTestId?: string }) {
  const row = (label: string, value: string, className?: string, testId?: string) => (
    <tr className={className}>
      <th scope="row" colSpan={span}>
        {label}
      </th>
      <td className="num" data-label={label} data-testid={testId}>
        {value}
      </td>
    </tr>
  );
  return (
    <>
      {row("Subtotal", formatCents(charges.subtotalCents), "charges-minor")}
      {row("Shipping", shipping(charges), "charges-minor")}
      {row("Total", formatCents(charges.totalCents), undefined, totalTestId)}
      {row("Includes VAT", formatCents(charges.vatCents), "charges-minor muted")}
    </>
  );
}
