import { CORRELATION_HEADER } from "@fishtag/tracing/correlation";
import { currentCorrelationId, type Logger } from "@fishtag/tracing/logger";
import { z } from "zod";

// The Store's side of the contract with the Warehouse (POST /api/orders, GET /healthz). It is written
// here, not imported from warehouse-api: the two services share HTTP, not code. Its tests run it
// against the real warehouse app, so the two sides cannot drift apart unnoticed.

export type WarehouseOrderRequest = {
  storeOrderId: string;
  reference: string;
  customer: { name: string; email: string };
  shippingAddress: { line1: string; line2?: string; city: string; postalCode: string; country: string };
  lines: { sku: string; name: string; quantity: number; unitPriceCents: number }[];
};

const WarehouseOrderSchema = z.object({
  id: z.string(),
  storeOrderId: z.string(),
  reference: z.string(),
  status: z.string(),
  totalCents: z.number(),
  correlationId: z.string(),
  createdAt: z.string(),
});

export type WarehouseOrder = z.infer<typeof WarehouseOrderSchema>;

const RejectionSchema = z.object({ error: z.literal("order_rejected"), message: z.string(), order: WarehouseOrderSchema });

export type CreateOrderResult =
  | { kind: "placed"; order: WarehouseOrder }
  | { kind: "rejected"; message: string; order: WarehouseOrder }
  /** The warehouse could not be reached, was too slow, or failed: worth trying again later. */
  | { kind: "unavailable"; reason: "timeout" | "unreachable" | "server_error" }
  /** The warehouse answered something this client does not understand: a bug on one side, not worth a retry. */
  | { kind: "failed"; reason: string };

export type WarehouseClientOptions = {
  baseUrl: string;
  timeoutMs: number;
  logger: Logger;
  fetch?: typeof globalThis.fetch;
};

export type WarehouseClient = ReturnType<typeof createWarehouseClient>;

export function createWarehouseClient({ baseUrl, timeoutMs, logger, fetch = globalThis.fetch }: WarehouseClientOptions) {
  // Joined as text, not with new URL(path, base), which would drop a base path such as /warehouse.
  const base = baseUrl.replace(/\/+$/, "");

  /** Every call forwards the correlation ID in scope: this is where the fish tag crosses the service boundary. */
  async function call(path: string, init: RequestInit & { timeoutMs?: number } = {}) {
    const headers = new Headers(init.headers);
    headers.set(CORRELATION_HEADER, currentCorrelationId() ?? crypto.randomUUID());
    return fetch(`${base}${path}`, { ...init, headers, signal: AbortSignal.timeout(init.timeoutMs ?? timeoutMs) });
  }

  return {
    async createOrder(order: WarehouseOrderRequest): Promise<CreateOrderResult> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      let response: Response;
      let body: unknown;
      try {
        response = await call("/api/orders", {
          method: "POST",
          // The store's order id as the Idempotency-Key (a Structured Field string, as the IETF draft has it):
          // a repeat of this call can never make a second warehouse order.
          headers: { "content-type": "application/json", "idempotency-key": `"${order.storeOrderId}"` },
          body: JSON.stringify(order),
        });
        body = await response.json().catch(() => undefined);
      } catch (error) {
        const reason = error instanceof DOMException && error.name === "TimeoutError" ? "timeout" : "unreachable";
        logger.error({ reason, durationMs: elapsed(), storeOrderId: order.storeOrderId }, "checkout failed: warehouse unavailable");
        return { kind: "unavailable", reason };
      }

      const fields = { status: response.status, durationMs: elapsed(), storeOrderId: order.storeOrderId };
      if (response.status === 201) {
        const placed = WarehouseOrderSchema.safeParse(body);
        if (placed.success) {
          logger.info({ ...fields, warehouseOrderId: placed.data.id }, "warehouse accepted the order");
          return { kind: "placed", order: placed.data };
        }
      }
      if (response.status === 422) {
        const rejected = RejectionSchema.safeParse(body);
        if (rejected.success) {
          logger.error({ ...fields, warehouseOrderId: rejected.data.order.id }, "checkout failed: warehouse rejected the order");
          return { kind: "rejected", message: rejected.data.message, order: rejected.data.order };
        }
      }
      if (response.status >= 500) {
        logger.error(fields, "checkout failed: warehouse error");
        return { kind: "unavailable", reason: "server_error" };
      }
      // The code and size only: the body may be large or repeat the customer's details.
      const error = typeof body === "object" && body !== null && "error" in body ? String(body.error) : undefined;
      logger.error({ ...fields, error, bodyLength: JSON.stringify(body ?? null).length }, "checkout failed: unexpected answer from the warehouse");
      return { kind: "failed", reason: `unexpected ${response.status} from the warehouse` };
    },

    /** True when the warehouse answers its health check in time. */
    async isHealthy(): Promise<boolean> {
      try {
        const response = await call("/healthz", { timeoutMs: Math.min(timeoutMs, 2000) });
        // Unread, the body would hold the pooled connection until garbage collection.
        await response.body?.cancel();
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}
