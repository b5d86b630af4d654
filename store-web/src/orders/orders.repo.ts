import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";

import { promised } from "@fishtag/service-kit/promised";
import { parseFlags, serialiseFlags, type Flag } from "@fishtag/tracing/flags";

import type { Db } from "../db/client.server";
import { orderLines, orders, orderStatusHistory, orderViewers } from "../db/schema";
import { chargesFor, type Charges } from "../lib/pricing";
import type { SqliteOrderOutbox } from "../order-outbox/order-outbox.repo";
import { formatOrderNumber } from "./order-number";
import type { StatusSource, StoreOrderStatus } from "./order-status";

type OrderRow = typeof orders.$inferSelect;

export type NewOrder = {
  customerId: string;
  correlationId: string;
  customer: { name: string; email: string };
  shippingAddress: { line1: string; line2?: string | undefined; city: string; postalCode: string; country: string };
  reference: string;
  lines: { sku: string; name: string; quantity: number; unitPriceCents: number }[];
  /** The feature flags the checkout ran with (flags/flags.ts), none by default: every delivery of the order carries them. */
  flags?: readonly Flag[];
};

export type OrderSummary = {
  /** The UUID the warehouse knows the order by (as storeOrderId). */
  id: string;
  number: string;
  status: StoreOrderStatus;
  reference: string;
  totalCents: number;
  itemCount: number;
  createdAt: string;
};

/** One step of an order's history; `reason` when the warehouse gave one (a cancellation). */
export type StatusChange = { status: StoreOrderStatus; at: string; source: StatusSource; correlationId: string; reason: string | null };

export type OrderDetail = Omit<OrderSummary, "itemCount"> &
  Charges & {
    customer: { name: string; email: string };
    shippingAddress: { line1: string; line2: string | null; city: string; postalCode: string; country: string };
    /** The checkout's correlation ID: the Reference the customer was shown. */
    correlationId: string;
    /** The feature flags the checkout ran with. */
    flags: Flag[];
    warehouseOrderId: string | null;
    lines: { sku: string; name: string; quantity: number; unitPriceCents: number }[];
    history: StatusChange[];
  };

export type CheckoutOutcome =
  | { status: "received" | "rejected"; warehouseOrderId: string }
  /** The warehouse could not take it yet: the order is safe in the outbox, which delivers it later. */
  | { status: "awaiting_confirmation" }
  /** The warehouse answered outside the contract: the order is not delivered and the customer may retry. */
  | { status: "failed" };

/**
 * The statuses a checkout outcome (the checkout's own or the relay's late one) may still change: nothing
 * the warehouse has confirmed. `failed` is one: its outbox row is parked, and if someone sends it again
 * the warehouse's answer is news.
 */
export const UNCONFIRMED: StoreOrderStatus[] = ["pending", "awaiting_confirmation", "failed"];

/** A status change the warehouse made to an order the store placed, as the store records it. */
export type WarehouseUpdate = {
  /** The warehouse's event id: increasing per order, so an older one arriving late is recognised. */
  eventId: number;
  warehouseOrderId: string;
  storeOrderId: string;
  status: StoreOrderStatus;
  /** Why, when the warehouse says (a cancellation). */
  reason: string | null;
  at: Date;
};

export type ApplyUpdateResult =
  | { outcome: "applied"; orderNumber: string; status: StoreOrderStatus }
  | { outcome: "duplicate" | "stale"; orderNumber: string; lastEventId: number | null }
  | { outcome: "unknown_order" };

/** An order as the pages and the API show it, from its row, its lines and its history (both dialects). */
export function toDetail(
  row: OrderRow,
  lines: (typeof orderLines.$inferSelect)[],
  history: (typeof orderStatusHistory.$inferSelect)[],
): OrderDetail {
  return {
    id: row.id,
    number: formatOrderNumber(row.number),
    status: row.status,
    reference: row.reference,
    subtotalCents: row.subtotalCents,
    shippingCents: row.shippingCents,
    vatCents: row.vatCents,
    totalCents: row.totalCents,
    createdAt: row.createdAt.toISOString(),
    correlationId: row.correlationId,
    flags: parseFlags(row.flags).flags,
    warehouseOrderId: row.warehouseOrderId,
    customer: { name: row.customerName, email: row.customerEmail },
    shippingAddress: {
      line1: row.shippingLine1,
      line2: row.shippingLine2,
      city: row.shippingCity,
      postalCode: row.shippingPostalCode,
      country: row.shippingCountry,
    },
    lines: lines.map(({ sku, name, quantity, unitPriceCents }) => ({ sku, name, quantity, unitPriceCents })),
    history: history.map(({ status, at, source, correlationId, reason }) => ({
      status,
      at: at.toISOString(),
      source,
      correlationId,
      reason,
    })),
  };
}

/** The order's row for a new order, as `create` stores it in either dialect. */
export function newOrderRow(order: NewOrder, id: string, now: Date) {
  const charges = chargesFor(order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0));
  return {
    id,
    customerId: order.customerId,
    status: "pending" as const,
    customerName: order.customer.name,
    customerEmail: order.customer.email,
    shippingLine1: order.shippingAddress.line1,
    shippingLine2: order.shippingAddress.line2 ?? null,
    shippingCity: order.shippingAddress.city,
    shippingPostalCode: order.shippingAddress.postalCode,
    shippingCountry: order.shippingAddress.country,
    reference: order.reference,
    ...charges,
    correlationId: order.correlationId,
    flags: serialiseFlags(order.flags ?? []),
    createdAt: now,
    updatedAt: now,
  };
}

const p = sql.placeholder;

export type OrdersRepo = ReturnType<typeof createOrdersRepo>;

/** The store's orders; new ones are handed to `outbox` in the transaction that records them. */
export function createOrdersRepo(db: Db, outbox: SqliteOrderOutbox) {
  // Every statement a checkout runs is prepared once here: built per call, drizzle's query building and
  // SQLite's parsing of the statement cost more than running it (the checkout bench's profile).
  const insertOrder = db
    .insert(orders)
    .values({
      id: p("id"),
      customerId: p("customerId"),
      status: "pending",
      customerName: p("customerName"),
      customerEmail: p("customerEmail"),
      shippingLine1: p("shippingLine1"),
      shippingLine2: p("shippingLine2"),
      shippingCity: p("shippingCity"),
      shippingPostalCode: p("shippingPostalCode"),
      shippingCountry: p("shippingCountry"),
      reference: p("reference"),
      subtotalCents: p("subtotalCents"),
      shippingCents: p("shippingCents"),
      vatCents: p("vatCents"),
      totalCents: p("totalCents"),
      correlationId: p("correlationId"),
      flags: p("flags"),
      createdAt: p("now"),
      updatedAt: p("now"),
    })
    .returning({ number: orders.number })
    .prepare();
  const insertLine = db
    .insert(orderLines)
    .values({
      orderNumber: p("orderNumber"),
      lineNo: p("lineNo"),
      sku: p("sku"),
      name: p("name"),
      quantity: p("quantity"),
      unitPriceCents: p("unitPriceCents"),
    })
    .prepare();
  // Set's values take no placeholder of their own: wrapped in sql, a Date goes in as the epoch ms it is stored as.
  const learnWarehouseOrderId = db
    .update(orders)
    .set({ warehouseOrderId: sql`${p("warehouseOrderId")}` })
    .where(and(eq(orders.id, p("id")), isNull(orders.warehouseOrderId)))
    .prepare();
  // .all(), not .get(): no row matches once an event has been applied, which .get()'s type hides.
  const setCheckoutStatus = db
    .update(orders)
    .set({ status: sql`${p("status")}`, updatedAt: sql`${p("at")}` })
    .where(
      and(eq(orders.id, p("id")), isNull(orders.lastWarehouseEventId), inArray(orders.status, UNCONFIRMED), ne(orders.status, p("status"))),
    )
    .returning({ number: orders.number })
    .prepare();
  const insertHistory = db
    .insert(orderStatusHistory)
    .values({
      orderNumber: p("orderNumber"),
      status: p("status"),
      source: p("source"),
      correlationId: p("correlationId"),
      warehouseEventId: p("warehouseEventId"),
      reason: p("reason"),
      at: p("at"),
    })
    .prepare();
  const byId = db
    .select()
    .from(orders)
    .where(eq(orders.id, p("id")))
    .prepare();
  // A browser's orders: those it placed, and those it was let see by a guest lookup (findAsGuest).
  const visibleTo = or(
    eq(orders.customerId, p("customerId")),
    inArray(
      orders.number,
      db
        .select({ number: orderViewers.orderNumber })
        .from(orderViewers)
        .where(eq(orderViewers.customerId, p("customerId"))),
    ),
  );
  const forCustomer = db
    .select()
    .from(orders)
    .where(and(eq(orders.number, p("number")), visibleTo))
    .prepare();
  // lower() on both sides: an address is matched as typed whatever its case (ASCII, as SQLite's lower()).
  const byNumberAndEmail = db
    .select({ number: orders.number })
    .from(orders)
    .where(and(eq(orders.number, p("number")), eq(sql`lower(${orders.customerEmail})`, sql`lower(${p("email")})`)))
    .prepare();
  const grantViewer = db
    .insert(orderViewers)
    .values({ orderNumber: p("number"), customerId: p("customerId"), grantedAt: p("grantedAt") })
    .onConflictDoNothing()
    .prepare();
  const listForCustomer = db
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      reference: orders.reference,
      totalCents: orders.totalCents,
      createdAt: orders.createdAt,
      itemCount: sql<number>`(select coalesce(sum(${orderLines.quantity}), 0) from ${orderLines} where ${orderLines.orderNumber} = ${orders.number})`,
    })
    .from(orders)
    .where(visibleTo)
    .orderBy(desc(orders.number))
    .limit(p("limit"))
    .prepare();
  const linesOf = db
    .select()
    .from(orderLines)
    .where(eq(orderLines.orderNumber, p("number")))
    .orderBy(asc(orderLines.lineNo))
    .prepare();
  const historyOf = db
    .select()
    .from(orderStatusHistory)
    .where(eq(orderStatusHistory.orderNumber, p("number")))
    .orderBy(asc(orderStatusHistory.id))
    .prepare();
  const eventSeen = db
    .select({ id: orderStatusHistory.id })
    .from(orderStatusHistory)
    .where(eq(orderStatusHistory.warehouseEventId, p("eventId")))
    .prepare();

  function history(
    number: number,
    status: StoreOrderStatus,
    source: StatusSource,
    correlationId: string,
    at: Date,
    /** For a step a warehouse status event made: the event's id, and its reason if it gave one. */
    event?: { warehouseEventId: number; reason: string | null },
  ) {
    const { warehouseEventId = null, reason = null } = event ?? {};
    insertHistory.run({ orderNumber: number, status, source, correlationId, warehouseEventId, reason, at });
  }

  function detail(row: OrderRow): OrderDetail {
    return toDetail(row, linesOf.all({ number: row.number }), historyOf.all({ number: row.number }));
  }

  return promised({
    /**
     * Records an order before it goes to the warehouse, as `pending`, with its lines priced as charged
     * and its charges worked out from them (lib/pricing.ts), and its row in the outbox, in one transaction: from here on the
     * order reaches the warehouse even if this process dies. The row is left to the checkout for
     * its lease (it sends the order at once); after that the relay takes it. Returns the order's
     * id (the warehouse's storeOrderId) and number.
     */
    create(order: NewOrder, now = new Date()): { id: string; number: string; totalCents: number } {
      const id = crypto.randomUUID();
      const row = newOrderRow(order, id, now);
      const number = db.transaction((tx) => {
        const inserted = insertOrder.get({ ...row, now });
        order.lines.forEach((line, index) => {
          insertLine.run({ orderNumber: inserted.number, lineNo: index + 1, ...line });
        });
        history(inserted.number, "pending", "checkout", order.correlationId, now);
        outbox.enqueue(tx, { storeOrderId: id, correlationId: order.correlationId, now });
        return inserted.number;
      });
      return { id, number: formatOrderNumber(number), totalCents: row.totalCents };
    },

    /**
     * What the checkout (or later the outbox relay) learned from the warehouse. The status is only
     * written while the order is unconfirmed (see UNCONFIRMED) and no warehouse event has
     * been applied: an event that got here first knows better, and a late 201 must not turn a picked
     * order back into a received one. The same status again (another failed attempt) writes nothing.
     */
    recordCheckoutOutcome(id: string, outcome: CheckoutOutcome, correlationId: string, now = new Date()): void {
      db.transaction(() => {
        const warehouseOrderId = "warehouseOrderId" in outcome ? outcome.warehouseOrderId : null;
        if (warehouseOrderId) learnWarehouseOrderId.run({ id, warehouseOrderId });
        const [updated] = setCheckoutStatus.all({ id, status: outcome.status, at: now.getTime() });
        if (updated) history(updated.number, outcome.status, "checkout", correlationId, now);
      });
    },

    /**
     * A guest lookup: the order with this number, if it was placed with this email address, from then on
     * visible to this browser too. False alike when the number or the email is wrong.
     */
    findAsGuest(customerId: string, number: number, email: string, now = new Date()): boolean {
      const found = byNumberAndEmail.get({ number, email });
      if (!found) return false;
      grantViewer.run({ number, customerId, grantedAt: now });
      return true;
    },

    /** The orders placed from one browser (its customer cookie) or looked up in it, newest first. */
    listForCustomer(customerId: string, limit = 50): OrderSummary[] {
      return listForCustomer.all({ customerId, limit }).map((row) => ({
        ...row,
        number: formatOrderNumber(row.number),
        createdAt: row.createdAt.toISOString(),
      }));
    },

    /** One order with its lines and history, only if this customer placed it or looked it up. */
    findForCustomer(customerId: string, number: number): OrderDetail | undefined {
      const row = forCustomer.get({ customerId, number });
      return row ? detail(row) : undefined;
    },

    findById(id: string): OrderDetail | undefined {
      const row = byId.get({ id });
      return row ? detail(row) : undefined;
    },

    /**
     * A warehouse status change, applied at most once: an eventId seen before is a duplicate, one lower
     * than the newest applied for the order is stale (it was overtaken); both change nothing. The status
     * and its history row commit together. IMMEDIATE takes the write lock up front, so two deliveries of
     * one event cannot both pass the checks.
     */
    applyWarehouseUpdate(update: WarehouseUpdate, correlationId: string): ApplyUpdateResult {
      return db.transaction(
        (tx): ApplyUpdateResult => {
          const order = byId.get({ id: update.storeOrderId });
          if (!order) return { outcome: "unknown_order" };
          const orderNumber = formatOrderNumber(order.number);
          const lastEventId = order.lastWarehouseEventId;
          if (eventSeen.get({ eventId: update.eventId })) return { outcome: "duplicate", orderNumber, lastEventId };
          if (lastEventId !== null && update.eventId < lastEventId) return { outcome: "stale", orderNumber, lastEventId };

          tx.update(orders)
            .set({
              status: update.status,
              lastWarehouseEventId: update.eventId,
              // A checkout that timed out never learned the warehouse's id: the update tells it.
              warehouseOrderId: order.warehouseOrderId ?? update.warehouseOrderId,
              updatedAt: new Date(),
            })
            .where(eq(orders.number, order.number))
            .run();
          history(order.number, update.status, "warehouse", correlationId, update.at, {
            warehouseEventId: update.eventId,
            reason: update.reason,
          });
          return { outcome: "applied", orderNumber, status: update.status };
        },
        { behavior: "immediate" },
      );
    },
  });
}
