// What the benchmark's parent (the load generator) and its server children say to each other over IPC.
// Types only, plus the request body, so both sides agree on them without importing each other.

import type { CreateOrderInput } from "../src/orders/orders.schemas.js";

export const SERVER_KINDS = ["raw", "app"] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export type ParentMessage = { type: "begin" } | { type: "end" } | { type: "close" };

export type ChildMessage =
  | { type: "ready"; port: number }
  | { type: "begun" }
  | { type: "ended"; cpuMicros: number; wallMicros: number; requests: number }
  | {
      type: "closed";
      orders: number;
      distinctStoreOrderIds: number;
      logLines: number | null;
      /** Every request over the process's life, warm-up included: what a whole-process CPU profile covers. */
      handled: number;
    };

export function isChildMessage(value: unknown): value is ChildMessage {
  return typeof value === "object" && value !== null && "type" in value && typeof value.type === "string";
}

export function isParentMessage(value: unknown): value is ParentMessage {
  return typeof value === "object" && value !== null && "type" in value && typeof value.type === "string";
}

// A realistic order from the Store: two lines, an address with a second line, about 500 bytes of JSON.
// Only storeOrderId varies per request; it goes first so the rest can be serialised once.
const ORDER_TEMPLATE: Omit<CreateOrderInput, "storeOrderId"> = {
  reference: "PO-2025-118734",
  customer: { name: "Ada Lovelace", email: "ada.lovelace@analytical-engines.example.com" },
  shippingAddress: {
    line1: "12 Analytical Row",
    line2: "Flat 3, Babbage House, second floor",
    city: "London",
    postalCode: "N1 9GU",
    country: "GB",
  },
  lines: [
    { sku: "MUG-ENAMEL-350-BLU", name: "Enamel camping mug, 350 ml, speckled blue", quantity: 2, unitPriceCents: 1250 },
    { sku: "TEE-FISH-ORG-M", name: "Organic cotton tee with the fishtag print, size M", quantity: 1, unitPriceCents: 2400 },
  ],
};
const TEMPLATE_REST = JSON.stringify(ORDER_TEMPLATE).slice(1);

/** The JSON body for one order; building it is a string concatenation, so the load generator stays cheap. */
export function orderBody(storeOrderId: string): string {
  return `{"storeOrderId":${JSON.stringify(storeOrderId)},${TEMPLATE_REST}`;
}
