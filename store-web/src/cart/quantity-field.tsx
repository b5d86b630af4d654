import { MAX_QUANTITY } from "../lib/catalog";

/**
 * What every cart form sends: the product (its SKU, and its name for the messages) and a quantity in a
 * labelled number field, named for screen readers after the product.
 */
export function QuantityField({
  sku,
  name,
  id,
  min,
  defaultValue,
  errorId,
}: {
  sku: string;
  name: string;
  id: string;
  min: 0 | 1;
  defaultValue: number;
  /** Set while the form shows an error for this field. */
  errorId?: string | undefined;
}) {
  return (
    <>
      <input type="hidden" name="sku" value={sku} />
      <input type="hidden" name="name" value={name} />
      <label htmlFor={id}>
        Quantity<span className="visually-hidden"> of {name}</span>
      </label>
      <input
        // A new key per value: after a change the field shows what the cart now holds.
        key={defaultValue}
        id={id}
        name="quantity"
        type="number"
        inputMode="numeric"
        min={min}
        max={MAX_QUANTITY}
        step={1}
        defaultValue={String(defaultValue)}
        className="qty"
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
      />
    </>
  );
}
