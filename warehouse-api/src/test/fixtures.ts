import type { CreateOrderInput } from "../orders/orders.schemas.js";
import { storeAuthorization } from "../testing.js";

let storeOrderNumbers = 0;

/** The money fields for `lines` as a store would charge them: £4.95 shipping, 20% VAT included. */
export function chargedFor(
  lines: CreateOrderInput["lines"],
): Pick<CreateOrderInput, "subtotalCents" | "shippingCents" | "vatCents" | "totalCents"> {
  const subtotalCents = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  const totalCents = subtotalCents + 495;
  return { subtotalCents, shippingCents: 495, vatCents: Math.round(totalCents / 6), totalCents };
}

/** An order as the Store sends it, with its money worked out from its lines (unless `overrides` says otherwise). */
export function orderInput(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  const lines = overrides.lines ?? [
    { sku: "MUG-01", name: "Enamel mug", quantity: 2, unitPriceCents: 1250 },
    { sku: "TEE-02", name: "Fish tee", quantity: 1, unitPriceCents: 2400 },
  ];
  return {
    storeOrderId: `st-${crypto.randomUUID()}`,
    storeOrderNumber: `ST-${String(++storeOrderNumbers).padStart(6, "0")}`,
    reference: "PO-1001",
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    shippingAddress: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
    lines,
    ...chargedFor(lines),
    ...overrides,
  };
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

/**
 * POST /api/orders as the Store sends it: with a fresh service token and a fresh Idempotency-Key, unless
 * `headers` brings its own.
 */
export async function orderRequest(body: unknown, headers: Record<string, string> = {}): Promise<RequestInit> {
  return jsonRequest(body, { authorization: await storeAuthorization(), "idempotency-key": crypto.randomUUID(), ...headers });
}

export function readLogLines(contents: string): Record<string, unknown>[] {
  return contents
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
