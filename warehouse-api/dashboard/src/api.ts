// The dashboard's typed client for the warehouse's staff API (same origin, session cookie + CSRF token).
//
// The response types are written here rather than inferred from orders.schemas.ts: that module is zod
// runtime code (drizzle-zod, @hono/zod-openapi), and the browser only needs the shapes. They cannot drift:
// src/dashboard-types.test.ts holds them equal to the API's schemas when the warehouse is typechecked.
import type { OrderStatus } from "../../src/orders/lifecycle.js";
import type { StaffRole } from "../../src/staff/roles.js";
import { newTraceparent } from "./traceparent.js";

export type { OrderStatus, StaffRole };

export type OrderLine = { sku: string; name: string; quantity: number; unitPriceCents: number };

export type Order = {
  id: string;
  storeOrderId: string;
  /** The store's number (ST-000123), what the customer quotes; null on orders from before it was sent. */
  storeOrderNumber: string | null;
  reference: string;
  status: OrderStatus;
  customer: { name: string; email: string };
  shippingAddress: { line1: string; line2?: string; city: string; postalCode: string; country: string };
  lines: OrderLine[];
  subtotalCents: number;
  shippingCents: number;
  vatCents: number;
  totalCents: number;
  correlationId: string;
  /** Placed with the priority-lane flag: packed first, and listed first among received orders. */
  priority: boolean;
  createdAt: string;
  updatedAt: string;
};

export type OrderEvent = {
  id: number;
  orderId: string;
  type: "created" | "rejected" | "status_changed";
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  actor: string;
  reason: string | null;
  correlationId: string;
  at: string;
};

export type OrderPage = { items: Order[]; nextCursor: string | null; counts: Record<OrderStatus, number> };

export type StaffUser = { id: string; email: string; name: string; role: StaffRole };

export type Session = { user: StaffUser; csrfToken: string };

export type StaffAccount = { id: string; email: string; name: string; role: StaffRole; disabled: boolean; createdAt: string };

/** One span of a trace, timed from the trace's first span (GET /api/traces). */
export type TraceSpan = {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  startMs: number;
  durationMs: number;
  failure: string | null;
};

export type Trace = { traceId: string; startedAt: string; durationMs: number; spans: TraceSpan[] };

export type Traces = { correlationId: string; traces: Trace[]; truncated: boolean };

type ErrorBody = { error: string; message: string; correlationId?: string; issues?: { path: string; message: string }[] };

/** A failed call. `correlationId` is the ID of the user action that failed: staff quote it as the Reference. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly correlationId: string;
  readonly issues: readonly { path: string; message: string }[];
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    correlationId: string;
    issues?: readonly { path: string; message: string }[];
    retryAfterSeconds?: number | null;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.correlationId = init.correlationId;
    this.issues = init.issues ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }
}

export const isSessionEnded = (error: unknown) => error instanceof ApiError && error.status === 401;

/**
 * One ID per user action. crypto.randomUUID exists only in secure contexts, and a warehouse tablet may
 * well reach the service over plain http on the LAN; getRandomValues works everywhere.
 */
export function newActionId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type RequestOptions = {
  actionId: string;
  /** The action's W3C traceparent; a state-changing call without one gets a fresh one. */
  traceparent?: string;
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  csrfToken?: string;
  signal?: AbortSignal;
};

/**
 * How often a call the warehouse refused as busy (503 `busy`: too many password checks at once, refused
 * before anything was done) is sent again after its Retry-After, before staff are shown the refusal.
 */
const BUSY_RETRIES = 3;
const BUSY_WAIT_MAX_SECONDS = 5;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function request<T>(path: string, { actionId, traceparent, method = "GET", body, csrfToken, signal }: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "X-Correlation-Id": actionId };
  // Each staff action starts its trace here (traceparent.ts says why); reads and polls do not: they are
  // not actions anyone follows, and a trace each every few seconds would bury the ones that are.
  const trace = traceparent ?? (method === "GET" ? undefined : newTraceparent());
  if (trace !== undefined) headers.traceparent = trace;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (csrfToken !== undefined) headers["X-CSRF-Token"] = csrfToken;

  let response: Response;
  for (let attempt = 0; ; attempt++) {
    try {
      response = await fetch(path, {
        method,
        headers,
        credentials: "same-origin",
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      // A cancelled query is React Query's business, not a failure to show.
      if (signal?.aborted) throw error;
      throw new ApiError({
        status: 0,
        code: "network_error",
        message: "Could not reach the warehouse. Check the connection and try again.",
        correlationId: actionId,
      });
    }
    const retryAfter = Number(response.headers.get("Retry-After"));
    if (response.status !== 503 || attempt >= BUSY_RETRIES || !(retryAfter > 0 && retryAfter <= BUSY_WAIT_MAX_SECONDS)) break;
    await wait(retryAfter * 1000);
  }

  if (response.ok) {
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  const payload = await readError(response);
  const retryAfter = Number(response.headers.get("Retry-After"));
  throw new ApiError({
    status: response.status,
    code: payload?.error ?? "http_error",
    message: payload?.message ?? `The warehouse answered ${response.status} ${response.statusText}.`.trim(),
    correlationId: payload?.correlationId ?? actionId,
    ...(payload?.issues ? { issues: payload.issues } : {}),
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : null,
  });
}

async function readError(response: Response): Promise<ErrorBody | null> {
  try {
    const body: unknown = await response.json();
    return typeof body === "object" && body !== null && "message" in body ? (body as ErrorBody) : null;
  } catch {
    return null; // a proxy's HTML error page, say
  }
}

/** The current session, or null when nobody is signed in (the warehouse answers that with a 200, not a 401). */
export async function getSession(signal?: AbortSignal): Promise<Session | null> {
  const current = await request<Session | { user: null; csrfToken: null }>("/api/session", {
    actionId: newActionId(),
    ...(signal ? { signal } : {}),
  });
  return current.user ? current : null;
}

export const signIn = (email: string, password: string) =>
  request<Session>("/api/session", { actionId: newActionId(), method: "POST", body: { email, password } });

export const signOut = (csrfToken: string) => request<undefined>("/api/session", { actionId: newActionId(), method: "DELETE", csrfToken });

export type OrderFilter = { status: OrderStatus | null; q: string };

export const PAGE_SIZE = 25;

export function listOrders(filter: OrderFilter, cursor: string | null, signal: AbortSignal): Promise<OrderPage> {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filter.status) params.set("status", filter.status);
  if (filter.q) params.set("q", filter.q);
  if (cursor) params.set("cursor", cursor);
  return request<OrderPage>(`/api/orders?${params.toString()}`, { actionId: newActionId(), signal });
}

export const getOrder = (id: string, options: { actionId?: string; traceparent?: string; signal?: AbortSignal } = {}) =>
  request<Order>(`/api/orders/${encodeURIComponent(id)}`, {
    actionId: options.actionId ?? newActionId(),
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });

export const getOrderEvents = (id: string, signal: AbortSignal) =>
  request<{ items: OrderEvent[] }>(`/api/orders/${encodeURIComponent(id)}/events`, { actionId: newActionId(), signal });

export type TransitionRequest = { to: OrderStatus; reason?: string };

/** One staff action: its correlation ID (the Reference staff quote) and the trace it starts. */
export type Action = { id: string; traceparent: string };

export const newAction = (): Action => ({ id: newActionId(), traceparent: newTraceparent() });

export const transitionOrder = (id: string, transition: TransitionRequest, csrfToken: string, action: Action) =>
  request<Order>(`/api/orders/${encodeURIComponent(id)}/transitions`, {
    actionId: action.id,
    traceparent: action.traceparent,
    method: "POST",
    body: transition,
    csrfToken,
  });

/** The traces of one Reference, from the trace receiver behind the warehouse (404 `traces_not_collected` when there is none). */
export const getTraces = (correlationId: string, signal: AbortSignal) =>
  request<Traces>(`/api/traces?${new URLSearchParams({ correlationId }).toString()}`, { actionId: newActionId(), signal });

export const listAccounts = (signal: AbortSignal) => request<{ items: StaffAccount[] }>("/api/staff", { actionId: newActionId(), signal });

export type NewAccount = { name: string; email: string; role: StaffRole; password: string };

export const addAccount = (account: NewAccount, csrfToken: string) =>
  request<StaffAccount>("/api/staff", { actionId: newActionId(), method: "POST", body: account, csrfToken });

export type AccountChange = { role?: StaffRole; disabled?: boolean };

export const changeAccount = (id: string, change: AccountChange, csrfToken: string) =>
  request<StaffAccount>(`/api/staff/${encodeURIComponent(id)}`, { actionId: newActionId(), method: "PATCH", body: change, csrfToken });

export const resetPassword = (id: string, password: string, csrfToken: string) =>
  request<undefined>(`/api/staff/${encodeURIComponent(id)}/password`, {
    actionId: newActionId(),
    method: "POST",
    body: { password },
    csrfToken,
  });

export const changeOwnPassword = (change: { currentPassword: string; newPassword: string }, csrfToken: string) =>
  request<undefined>("/api/account/password", { actionId: newActionId(), method: "POST", body: change, csrfToken });
