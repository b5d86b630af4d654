import type { Database } from "../db/client.js";
import type { OrderStatus } from "./lifecycle.js";
import { createPostgresOrdersRepo } from "./orders.repo.postgres.js";
import { createSqliteOrdersRepo } from "./orders.repo.sqlite.js";
import type { CreateAnswer, CreateOrderInput, ListOrdersQuery, Order, OrderEvent, StatusCounts } from "./orders.schemas.js";

export type Actor = { actor: string; correlationId: string };

/** What a new order gets beside its body: its first status, who placed it, and whether it came with priority-lane (not by default). */
export type NewOrderMeta = Actor & { status: OrderStatus; priority?: boolean };

export type TransitionChange = Actor & { to: OrderStatus; reason: string | null };

export type TransitionResult =
  { kind: "changed"; order: Order; from: OrderStatus } | { kind: "not_found" } | { kind: "not_allowed"; from: OrderStatus };

/** An order creation under an Idempotency-Key: `answer` turns the new order into the response to store. */
export type IdempotentCreate = { key: string; fingerprint: string; answer: (order: Order) => CreateAnswer };

export type CreateOnceResult =
  | { kind: "created"; order: Order; answer: CreateAnswer }
  /** The answer the first request with the key got. */
  | { kind: "replayed"; orderId: string; answer: CreateAnswer }
  | { kind: "key_reused"; orderId: string }
  /** A new key for a store order the warehouse already has (under another key). */
  | { kind: "store_order_exists"; orderId: string };

/**
 * The orders' storage, the same in both dialects (ADR 0015): orders.repo.sqlite.ts and
 * orders.repo.postgres.ts implement it, and orders.repo.test.ts runs the same tests against each.
 */
export type OrdersRepo = {
  findById(id: string): Promise<Order | undefined>;
  /**
   * Stores an order (its row, lines and first event) under an Idempotency-Key, in one transaction with the
   * key's row: the first request with a key creates the order and stores its answer; a repeat with the
   * same fingerprint gets that answer back and creates nothing; a repeat with another fingerprint is
   * refused, and so is a new key for a store order that is already here (the unique index is the backstop).
   * Resolves once the transaction holding it has committed; `batchSize` is how many orders that commit held.
   */
  createOnce(input: CreateOrderInput, meta: NewOrderMeta, idempotent: IdempotentCreate): Promise<CreateOnceResult & { batchSize: number }>;
  /**
   * Moves an order to `to` if the lifecycle allows it from the status it has now, writing the event, the
   * counts and the status event for the Store in the same transaction: the change and its announcement
   * commit together. Of two moves of one order at once, the second sees the first's result.
   */
  transition(id: string, change: TransitionChange): Promise<TransitionResult>;
  /** The order's trail, oldest first. */
  events(orderId: string): Promise<OrderEvent[]>;
  /** Orders per status, from the counts kept in step with every change (one indexed read). */
  counts(): Promise<StatusCounts>;
  /**
   * Newest first, keyset-paginated on the time-ordered id (stable while new orders arrive); the received
   * tab puts priority orders first. `q` matches a whole key: the order id, the store's order number, the
   * PO number or the customer email in any case, or the correlation ID of any event in the order's trail.
   */
  list(query: ListOrdersQuery): Promise<{ items: Order[]; nextCursor: string | null }>;
};

export function createOrdersRepo(database: Database): OrdersRepo {
  return database.dialect === "postgres" ? createPostgresOrdersRepo(database.db) : createSqliteOrdersRepo(database.db);
}
