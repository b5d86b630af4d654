import type { CreateOrderInput } from "../orders/orders.schemas.js";
import { storeAuthorization } from "../testing.js";

export function orderInput(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  return {
    storeOrderId: `st-${crypto.randomUUID()}`,
    reference: "PO-1001",
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    shippingAddress: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
    lines: [
      { sku: "MUG-01", name: "Enamel mug", quantity: 2, unitPriceCents: 1250 },
      { sku: "TEE-02", name: "Fish tee", quantity: 1, unitPriceCents: 2400 },
    ],
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
