import type { ReactNode } from "react";

import { formatCents } from "../lib/catalog";
import type { Charges } from "../lib/pricing";
import { ChargesRows } from "./charges";

export type TableLine = { sku: string; name: string; quantity: number; unitPriceCents: number; lineTotalCents: number; note?: ReactNode };

/** Items with quantity, price and subtotal, and the charges below: the checkout's cart and an order's lines. */
export function LinesTable({ caption, lines, charges }: { caption: string; lines: readonly TableLine[]; charges: Charges }) {
  return (
    <table className="lines stack">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col" className="num">
            Quantity
          </th>
          <th scope="col" className="num">
            Price
          </th>
          <th scope="col" className="num">
            Subtotal
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.sku}>
            <th scope="row">
              {line.name}
              {line.note}
            </th>
            <td className="num" data-label="Quantity">
              {line.quantity}
            </td>
            <td className="num" data-label="Price">
              {formatCents(line.unitPriceCents)}
            </td>
            <td className="num" data-label="Subtotal">
              {formatCents(line.lineTotalCents)}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <ChargesRows charges={charges} span={3} totalTestId="lines-total" />
      </tfoot>
    </table>
  );
}
