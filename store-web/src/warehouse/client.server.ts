import type { KeyObject } from "node:crypto";

import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleAll,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from "cockatiel";
import { z } from "zod";

import { serviceAuthorization } from "@fishtag/service-auth/tokens";
import { CORRELATION_HEADER } from "@fishtag/tracing/correlation";
import { currentCorrelationId, type Logger } from "@fishtag/tracing/logger";
import { inSpan, markRefused, SpanKind, traceHeaders } from "@fishtag/tracing/spans";

import { createHttpFetch } from "./http-fetch.server";

// The Store's side of the contract with the Warehouse (POST /api/orders, GET /healthz; the README and the
// warehouse's /openapi.json state it). It is written here, not imported from warehouse-api: the two
// services share HTTP, not code. The contract tests (contract/) run it against the real warehouse app, so
// the two sides cannot drift apart unnoticed.
//
// Order creation is made resilient with cockatiel, as the README's contract section says: timeouts per
// attempt, retries within one budget (so the customer hears back in about WAREHOUSE_TIMEOUT_MS) and a
// circuit breaker (so a warehouse that is down is not hammered). Retrying is safe only because every
// attempt carries the same Idempotency-Key, the store's order id.

export type WarehouseOrderRequest = {
  storeOrderId: string;
  /** The number the customer quotes (ST-000123): the warehouse's staff search by it. */
  storeOrderNumber: string;
  reference: string;
  customer: { name: string; email: string };
  shippingAddress: { line1: string; line2?: string; city: string; postalCode: string; country: string };
  lines: { sku: string; name: string; quantity: number; unitPriceCents: number }[];
  /** As charged (lib/pricing.ts): the warehouse checks that they add up and keeps them. */
  subtotalCents: number;
  shippingCents: number;
  vatCents: number;
  totalCents: number;
};

const WarehouseOrderSchema = z.object({
  id: z.string(),
  storeOrderId: z.string(),
  reference: z.string(),
  status: z.string(),
  totalCents: z.number(),
  correlationId: z.string(),
  /** Whether the warehouse took the priority-lane flag the call's baggage carried; optional for a warehouse from before flags. */
  priority: z.boolean().optional(),
  createdAt: z.string(),
});

export type WarehouseOrder = z.infer<typeof WarehouseOrderSchema>;

const RejectionSchema = z.object({ error: z.literal("order_rejected"), message: z.string(), order: WarehouseOrderSchema });

export type CreateOrderResult =
  | { kind: "placed"; order: WarehouseOrder }
  | { kind: "rejected"; message: string; order: WarehouseOrder }
  /**
   * The warehouse could not be reached, was too slow, failed, is still busy with this very order, the
   * circuit is open after repeated failures, or it refused the store's token (keys to fix, not the
   * order): worth trying again later.
   */
  | { kind: "unavailable"; reason: "timeout" | "unreachable" | "server_error" | "in_progress" | "circuit_open" | "unauthorized" }
  /** The warehouse answered something this client does not understand: a bug on one side, not worth a retry. */
  | { kind: "failed"; reason: string };

export type BreakerState = "closed" | "open" | "half-open";

/** How hard the client tries. The defaults are for production; tests shorten the waits. */
export type Resilience = {
  /** Retries after the first attempt, for network errors, timeouts and 5xx only. */
  retries: number;
  /** The first backoff; each later one grows exponentially, with jitter, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Consecutive failed attempts that open the circuit. */
  breakerThreshold: number;
  /** How long the circuit stays open before one trial call may go through (half-open). */
  halfOpenAfterMs: number;
};

export const DEFAULT_RESILIENCE: Resilience = {
  retries: 2,
  initialDelayMs: 100,
  maxDelayMs: 1000,
  breakerThreshold: 5,
  halfOpenAfterMs: 10_000,
};

export type WarehouseClientOptions = {
  baseUrl: string;
  /** The whole budget of one order creation, retries included; each attempt gets half of it. */
  timeoutMs: number;
  logger: Logger;
  /** The store's Ed25519 private key: each call carries a fresh token signed with it. None: unsigned. */
  signingKey?: KeyObject | undefined;
  /** How calls are sent: by default over node:http (http-fetch.server.ts says why not Node's own fetch). */
  fetch?: typeof globalThis.fetch;
  resilience?: Partial<Resilience>;
};

export type WarehouseClient = ReturnType<typeof createWarehouseClient>;

/** A 5xx: the warehouse is there but failing, so the attempt counts as failed and may be retried. */
class WarehouseServerError extends Error {
  constructor(readonly status: number) {
    super(`warehouse answered ${status}`);
  }
}

const BREAKER_STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "open",
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function unavailableReason(error: unknown): Extract<CreateOrderResult, { kind: "unavailable" }>["reason"] {
  if (error instanceof BrokenCircuitError) return "circuit_open";
  if (error instanceof WarehouseServerError) return "server_error";
  if (error instanceof TaskCancelledError) return "timeout";
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) return "timeout";
  return "unreachable";
}

export function createWarehouseClient({
  baseUrl,
  timeoutMs,
  logger,
  signingKey,
  fetch = createHttpFetch(),
  resilience,
}: WarehouseClientOptions) {
  // Joined as text, not with new URL(path, base), which would drop a base path such as /warehouse.
  const base = baseUrl.replace(/\/+$/, "");
  const tuning = { ...DEFAULT_RESILIENCE, ...resilience };

  /**
   * Every call forwards the correlation ID in scope: this is where the fish tag crosses the service boundary.
   * And every call (each retry too) carries a token signed just for it (iss store-web, aud warehouse-api,
   * 60 s): signing costs microseconds, and a token kept for reuse would be one more secret to hold.
   */
  async function call(path: string, init: RequestInit & { signal: AbortSignal }) {
    const headers = new Headers(init.headers);
    headers.set(CORRELATION_HEADER, currentCorrelationId() ?? crypto.randomUUID());
    // The trace goes with it (traceparent, and the correlation ID and the customer's flags in baggage): Next
    // adds none to a call.
    for (const [name, value] of Object.entries(traceHeaders())) headers.set(name, value);
    const url = `${base}${path}`;
    if (signingKey)
      headers.set(
        "authorization",
        await serviceAuthorization({ key: signingKey, issuer: "store-web", audience: "warehouse-api", method: init.method ?? "GET", url }),
      );
    return fetch(url, { ...init, headers });
  }

  // Outermost first: the total budget, then retries, then the breaker (so every attempt counts), then
  // each attempt's own timeout. Aggressive timeouts give up at once and abort the fetch behind them.
  const attemptTimeout = timeout(Math.max(50, Math.round(timeoutMs / 2)), TimeoutStrategy.Aggressive);
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: tuning.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(tuning.breakerThreshold),
  });
  // Never retried: an open circuit (that is its point), and every answer below 500 (returned, not
  // thrown), 409 and 422 included; repeating those would only get the same answer.
  const retries = retry(
    handleWhen((error) => !(error instanceof BrokenCircuitError)),
    {
      maxAttempts: tuning.retries,
      backoff: new ExponentialBackoff({ initialDelay: tuning.initialDelayMs, maxDelay: tuning.maxDelayMs }),
    },
  );
  const budget = timeout(timeoutMs, TimeoutStrategy.Aggressive);
  const createPolicy = wrap(budget, retries, breaker, attemptTimeout);

  breaker.onBreak(() => {
    logger.warn({ halfOpenAfterMs: tuning.halfOpenAfterMs }, "warehouse circuit breaker opened: orders fail fast until it half-opens");
  });
  breaker.onHalfOpen(() => {
    logger.info("warehouse circuit breaker half-open: the next order is a trial");
  });
  breaker.onReset(() => {
    logger.info("warehouse circuit breaker closed");
  });
  retries.onRetry((event) => {
    const reason = "error" in event ? unavailableReason(event.error) : "unknown";
    logger.warn({ attempt: event.attempt, delayMs: Math.round(event.delay), reason }, "retrying the warehouse call");
  });

  /** One attempt's span (HTTP client conventions): each retry is a span of its own, numbered. */
  function attemptSpan<T>(attempt: number, fn: (setStatus: (status: number) => void) => Promise<T>): Promise<T> {
    const attributes = {
      "http.request.method": "POST",
      "url.full": `${base}/api/orders`,
      ...(attempt > 0 ? { "http.request.resend_count": attempt } : {}),
    };
    return inSpan("POST /api/orders", { kind: SpanKind.CLIENT, attributes }, (span) =>
      fn((status) => span.setAttribute("http.response.status_code", status)),
    );
  }

  async function createOrder(order: WarehouseOrderRequest): Promise<CreateOrderResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let attempts = 0;
    let response: Response;
    let body: unknown;
    try {
      ({ response, body } = await createPolicy.execute(({ signal }) =>
        attemptSpan(attempts++, async (setStatus) => {
          const answer = await call("/api/orders", {
            method: "POST",
            // The store's order id as the Idempotency-Key (a Structured Field string, as the IETF draft has
            // it), the same on every attempt: a repeat of this call can never make a second warehouse order.
            headers: { "content-type": "application/json", "idempotency-key": `"${order.storeOrderId}"` },
            body: JSON.stringify(order),
            signal,
          });
          // Read whole before parsing: a warehouse that dies mid-answer fails the read (a network error, so
          // retried and at worst "unavailable"), where a 201 whose body is cut short must not pass for an
          // answer outside the contract, which would park the order for good.
          const text = await answer.text();
          setStatus(answer.status);
          if (answer.status >= 500) throw new WarehouseServerError(answer.status);
          return { response: answer, body: parseJson(text) };
        }),
      ));
    } catch (error) {
      const reason = unavailableReason(error);
      const status = error instanceof WarehouseServerError ? error.status : undefined;
      const message = reason === "server_error" ? "order creation failed: warehouse error" : "order creation failed: warehouse unavailable";
      logger.error({ reason, status, durationMs: elapsed(), storeOrderId: order.storeOrderId }, message);
      return { kind: "unavailable", reason };
    }

    const fields = { status: response.status, durationMs: elapsed(), storeOrderId: order.storeOrderId };
    if (response.headers.get("idempotent-replayed") === "true") logger.info(fields, "warehouse replayed its answer to an earlier attempt");
    if (response.status === 201) {
      const placed = WarehouseOrderSchema.safeParse(body);
      if (placed.success) {
        logger.info({ ...fields, warehouseOrderId: placed.data.id, priority: placed.data.priority }, "warehouse accepted the order");
        return { kind: "placed", order: placed.data };
      }
    }
    if (response.status === 422) {
      const rejected = RejectionSchema.safeParse(body);
      if (rejected.success) {
        // The warehouse's business rule, not a fault: the order is settled, as rejected.
        logger.warn({ ...fields, warehouseOrderId: rejected.data.order.id }, "order creation: the warehouse rejected the order");
        return { kind: "rejected", message: rejected.data.message, order: rejected.data.order };
      }
    }
    // The code and size only: the body may be large or repeat the customer's details.
    const error = typeof body === "object" && body !== null && "error" in body ? String(body.error) : undefined;
    if (response.status === 401) {
      // Not this order's fault: the keys disagree (or the store has none). Kept for later, not failed,
      // so the orders go once the keys are fixed. Not retried now: the same keys get the same answer.
      logger.error(
        { ...fields, error },
        "the warehouse refused the store's token: check STORE_SIGNING_KEY here and STORE_PUBLIC_KEY there",
      );
      return { kind: "unavailable", reason: "unauthorized" };
    }
    if (response.status === 409 && error === "idempotency_key_in_flight") {
      // An earlier attempt (one that timed out here) is still being processed: its outcome is unknown yet.
      logger.warn({ ...fields, error }, "order creation: the warehouse is still processing this order");
      return { kind: "unavailable", reason: "in_progress" };
    }
    logger.error(
      { ...fields, error, bodyLength: JSON.stringify(body ?? null).length },
      "order creation failed: unexpected answer from the warehouse",
    );
    return { kind: "failed", reason: `unexpected ${response.status} from the warehouse` };
  }

  return {
    /**
     * Sends an order (retried within the budget, through the breaker) and says what became of it, in a
     * span of the caller's trace with one child per attempt; an order not taken marks the span failed.
     */
    createOrder: (order: WarehouseOrderRequest): Promise<CreateOrderResult> =>
      inSpan("send order to warehouse", { attributes: { "fishtag.order_number": order.storeOrderNumber } }, async (span) => {
        const result = await createOrder(order);
        span.setAttribute("fishtag.outcome", result.kind);
        if (result.kind === "unavailable" || result.kind === "failed") markRefused(result.reason);
        return result;
      }),

    /** True when the warehouse answers its health check in time. Not through the breaker: it is a probe. */
    async isHealthy(): Promise<boolean> {
      try {
        const response = await call("/healthz", { signal: AbortSignal.timeout(Math.min(timeoutMs, 2000)) });
        // Unread, the body would hold the pooled connection until garbage collection.
        await response.body?.cancel();
        return response.ok;
      } catch {
        return false;
      }
    },

    /** The order-creation circuit: "open" while orders fail fast. Shared by every checkout in the process. */
    breakerState(): BreakerState {
      return BREAKER_STATES[breaker.state];
    },
  };
}

/** What the store's health route reports about the warehouse, for operators (shoppers are not shown it). */
export type WarehouseHealth = { reachable: boolean; breaker: BreakerState };

export async function warehouseHealth(client: Pick<WarehouseClient, "isHealthy" | "breakerState">): Promise<WarehouseHealth> {
  return { reachable: await client.isHealthy(), breaker: client.breakerState() };
}
