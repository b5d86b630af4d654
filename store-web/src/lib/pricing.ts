/**
 * How the store charges: prices include VAT (at the UK standard rate, 20%), and shipping is £4.95 a
 * parcel, free from £50 of goods. The README states the rule; the order records each figure as charged,
 * and the warehouse keeps the same four.
 */
export const VAT_PERCENT = 20;
export const SHIPPING_CENTS = 495;
export const FREE_SHIPPING_FROM_CENTS = 5000;

export type Charges = {
  /** The lines' total. */
  subtotalCents: number;
  shippingCents: number;
  /** The VAT included in the total (every price already includes it). */
  vatCents: number;
  /** What the customer pays: subtotal + shipping. */
  totalCents: number;
};

export function chargesFor(subtotalCents: number): Charges {
  // Nothing to ship, nothing to charge: an empty cart costs nothing.
  const shippingCents = subtotalCents === 0 || subtotalCents >= FREE_SHIPPING_FROM_CENTS ? 0 : SHIPPING_CENTS;
  const totalCents = subtotalCents + shippingCents;
  return { subtotalCents, shippingCents, vatCents: Math.round((totalCents * VAT_PERCENT) / (100 + VAT_PERCENT)), totalCents };
}
