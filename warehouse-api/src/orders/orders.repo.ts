import { and, asc, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { Db } from "../db/client.js";
import { orderLines, orders, type OrderStatus } from "../db/schema.js";
import type { CreateOrderInput, ListOrdersQuery, Order } from "./orders.schemas.js";

type OrderRow = typeof orders.$inferSelect;
type LineRow = typeof orderLines.$inferSelect;

function toOrder(row: OrderRow, lines: LineRow[]): Order {
  return {
    id: row.id,
    storeOrderId: row.storeOrderId,
    reference: row.reference,
    status: row.status,
    customer: { name: row.customerName, email: row.customerEmail },
    shippingAddress: {
      line1: row.shippingLine1,
      ...(row.shippingLine2 === null ? {} : { line2: row.shippingLine2 }),
      city: row.shippingCity,
      postalCode: row.shippingPostalCode,
      country: row.shippingCountry,
    },
    lines: lines.map(({ sku, name, quantity, unitPriceCents }) => ({ sku, name, quantity, unitPriceCents })),
    totalCents: row.totalCents,
    correlationId: row.correlationId,
    createdAt: row.createdAt.toISOString(),
  };
}

export type OrdersRepo = ReturnType<typeof createOrdersRepo>;

const p = sql.placeholder;

export function createOrdersRepo(db: Db) {
  // Prepared once, run per order: built per call, drizzle would rebuild and re-prepare both statements for
  // every order (most of the ORM's cost in `npm run bench`).
  const insertOrder = db
    .insert(orders)
    .values({
      id: p("id"),
      storeOrderId: p("storeOrderId"),
      reference: p("reference"),
      status: p("status"),
      customerName: p("customerName"),
      customerEmail: p("customerEmail"),
      shippingLine1: p("shippingLine1"),
      shippingLine2: p("shippingLine2"),
      shippingCity: p("shippingCity"),
      shippingPostalCode: p("shippingPostalCode"),
      shippingCountry: p("shippingCountry"),
      totalCents: p("totalCents"),
      correlationId: p("correlationId"),
      createdAt: p("createdAt"),
    })
    .prepare();
  const insertLine = db
    .insert(orderLines)
    .values({
      orderId: p("orderId"),
      lineNo: p("lineNo"),
      sku: p("sku"),
      name: p("name"),
      quantity: p("quantity"),
      unitPriceCents: p("unitPriceCents"),
    })
    .prepare();
  // The order and its lines commit together or not at all.
  const insertOrderWithLines = db.$client.transaction((row: OrderRow, lines: LineRow[]) => {
    insertOrder.run(row);
    for (const line of lines) insertLine.run(line);
  });

  return {
    /** Stores the order and its lines in one transaction and returns it as the API shows it. */
    create(input: CreateOrderInput, meta: { status: OrderStatus; correlationId: string }): Order {
      const row: OrderRow = {
        id: uuidv7(),
        storeOrderId: input.storeOrderId,
        reference: input.reference,
        status: meta.status,
        customerName: input.customer.name,
        customerEmail: input.customer.email,
        shippingLine1: input.shippingAddress.line1,
        shippingLine2: input.shippingAddress.line2 ?? null,
        shippingCity: input.shippingAddress.city,
        shippingPostalCode: input.shippingAddress.postalCode,
        shippingCountry: input.shippingAddress.country,
        totalCents: input.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
        correlationId: meta.correlationId,
        createdAt: new Date(),
      };
      const lines: LineRow[] = input.lines.map((line, index) => ({ orderId: row.id, lineNo: index + 1, ...line }));
      insertOrderWithLines(row, lines);
      return toOrder(row, lines);
    },

    findById(id: string): Order | undefined {
      const row = db.select().from(orders).where(eq(orders.id, id)).get();
      if (!row) return undefined;
      const lines = db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(asc(orderLines.lineNo)).all();
      return toOrder(row, lines);
    },

    /** Newest first, keyset-paginated on the time-ordered id: stable while new orders arrive. */
    list({ status, limit, cursor }: ListOrdersQuery): { items: Order[]; nextCursor: string | null } {
      const conditions: SQL[] = [];
      if (status) conditions.push(eq(orders.status, status));
      if (cursor) conditions.push(lt(orders.id, cursor));
      const rows = db
        .select()
        .from(orders)
        .where(and(...conditions))
        .orderBy(desc(orders.id))
        .limit(limit + 1)
        .all();
      const page = rows.slice(0, limit);
      const lines = page.length
        ? db
            .select()
            .from(orderLines)
            .where(
              inArray(
                orderLines.orderId,
                page.map((row) => row.id),
              ),
            )
            .orderBy(asc(orderLines.orderId), asc(orderLines.lineNo))
            .all()
        : [];
      const linesByOrder = new Map<string, LineRow[]>();
      for (const line of lines) {
        const group = linesByOrder.get(line.orderId);
        if (group) group.push(line);
        else linesByOrder.set(line.orderId, [line]);
      }
      return {
        items: page.map((row) => toOrder(row, linesByOrder.get(row.id) ?? [])),
        nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  };
}
