import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";

import type { Db } from "../db/client.js";
import { orderEvents, orderLines, orders, orderStatusCounts } from "../db/schema.js";
import type { OrderStatus } from "./lifecycle.js";

// Realistic orders and their event trails for demos and benchmarks (`npm run seed`). Orders are spread
// over the last 90 days with ids minted at their own time (UUIDv7), so newest-first order and keyset
// pagination behave as after months of real use. Older orders are further along their lifecycle; about
// 2% were rejected, about 3% cancelled.

const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Edsger",
  "Barbara",
  "Donald",
  "Frances",
  "Linus",
  "Margaret",
  "Ken",
  "Radia",
  "Tim",
  "Hedy",
  "Dennis",
  "Sophie",
];
const LAST = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Dijkstra",
  "Liskov",
  "Knuth",
  "Allen",
  "Torvalds",
  "Hamilton",
  "Thompson",
  "Perlman",
  "Berners-Lee",
  "Lamarr",
  "Ritchie",
  "Wilson",
];
const CITIES: [string, string, string][] = [
  ["London", "N1 9GU", "GB"],
  ["Dublin", "D02 X285", "IE"],
  ["Paris", "75011", "FR"],
  ["Berlin", "10115", "DE"],
  ["Amsterdam", "1012 AB", "NL"],
  ["Madrid", "28004", "ES"],
  ["Boston", "02118", "US"],
  ["Toronto", "M5V 2T6", "CA"],
];
const PRODUCTS: [string, string, number][] = [
  ["MUG-TEAL", "Enamel mug", 1450],
  ["TEE-FISH", "Fish-tag tee", 2400],
  ["NOTE-A5", "A5 notebook", 950],
  ["BAG-TOTE", "Canvas tote", 1800],
  ["STK-PACK", "Sticker pack", 500],
];
const STAFF = ["sam@warehouse.test", "alex@warehouse.test", "kim@warehouse.test"];
const DAY = 24 * 60 * 60 * 1000;
const BATCH = 500;

// A small seeded generator: the same --seed gives the same database, which makes benchmarks repeatable.
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

/** The statuses an order of this age has passed through, after `received`. */
function historyFor(ageDays: number, roll: number): OrderStatus[] {
  if (roll < 0.03) return ["cancelled"];
  const steps: OrderStatus[] = ["picking", "packed", "shipped"];
  const done = ageDays > 3 ? 3 : ageDays > 1 ? 2 : ageDays > 0.3 ? 1 : 0;
  return steps.slice(0, done);
}

/** Adds `count` orders; the same `seedValue` gives the same orders (apart from ids and times). */
export function seedOrders(db: Db, count: number, seedValue = 42) {
  const rnd = random(seedValue);
  const now = Date.now();
  // Oldest first, so ids (minted at each order's time) ascend with creation like real traffic.
  const times = Array.from({ length: count }, () => now - rnd.next() * 90 * DAY).sort((a, b) => a - b);

  for (let start = 0; start < count; start += BATCH) {
    const orderRows: (typeof orders.$inferInsert)[] = [];
    const lineRows: (typeof orderLines.$inferInsert)[] = [];
    const eventRows: (typeof orderEvents.$inferInsert)[] = [];
    for (const createdMs of times.slice(start, start + BATCH)) {
      const id = uuidv7({ msecs: Math.floor(createdMs) });
      const first = rnd.pick(FIRST);
      const last = rnd.pick(LAST);
      const [city, postalCode, country] = rnd.pick(CITIES);
      const rejected = rnd.next() < 0.02;
      const reference = `${rejected ? "F" : "PO"}-${rnd.int(10000, 99999)}`;
      const correlationId = crypto.randomUUID();
      let status: OrderStatus = rejected ? "rejected" : "received";
      let at = createdMs;
      eventRows.push({
        orderId: id,
        type: rejected ? "rejected" : "created",
        fromStatus: null,
        toStatus: status,
        actor: "store",
        reason: null,
        correlationId,
        at: new Date(at),
      });
      if (!rejected) {
        for (const next of historyFor((now - createdMs) / DAY, rnd.next())) {
          at = Math.min(now, at + rnd.int(10, 600) * 60 * 1000);
          eventRows.push({
            orderId: id,
            type: "status_changed",
            fromStatus: status,
            toStatus: next,
            actor: rnd.pick(STAFF),
            reason: next === "cancelled" ? "Customer asked to cancel" : null,
            correlationId: crypto.randomUUID(),
            at: new Date(at),
          });
          status = next;
        }
      }
      let subtotalCents = 0;
      const lineCount = rnd.int(1, 4);
      for (let lineNo = 1; lineNo <= lineCount; lineNo++) {
        const [sku, name, unitPriceCents] = rnd.pick(PRODUCTS);
        const quantity = rnd.int(1, 5);
        subtotalCents += quantity * unitPriceCents;
        lineRows.push({ orderId: id, lineNo, sku, name, quantity, unitPriceCents });
      }
      // Charged as the store charges (its README): £4.95 shipping under £50, VAT at 20% included.
      const shippingCents = subtotalCents >= 5000 ? 0 : 495;
      const totalCents = subtotalCents + shippingCents;
      orderRows.push({
        id,
        storeOrderId: crypto.randomUUID(),
        // SD- for seeded: numbers no real store order will take.
        storeOrderNumber: `SD-${String(start + orderRows.length + 1).padStart(7, "0")}`,
        reference,
        status,
        customerName: `${first} ${last}`,
        customerEmail: `${first}.${last}.${rnd.int(1, 9999)}@example.com`.toLowerCase(),
        shippingLine1: `${rnd.int(1, 250)} Market Street`,
        shippingLine2: null,
        shippingCity: city,
        shippingPostalCode: postalCode,
        shippingCountry: country,
        subtotalCents,
        shippingCents,
        vatCents: Math.round((totalCents * 20) / 120),
        totalCents,
        correlationId,
        // About half, as the store's edge gives the priority lane: the received tab sorts on it.
        priority: rnd.next() < 0.5,
        createdAt: new Date(createdMs),
        updatedAt: new Date(at),
      });
    }
    db.transaction((tx) => {
      tx.insert(orders).values(orderRows).run();
      for (let i = 0; i < lineRows.length; i += 2000)
        tx.insert(orderLines)
          .values(lineRows.slice(i, i + 2000))
          .run();
      for (let i = 0; i < eventRows.length; i += 2000)
        tx.insert(orderEvents)
          .values(eventRows.slice(i, i + 2000))
          .run();
    });
  }
  // Recounted once at the end rather than bumped per row: the same numbers, far fewer writes.
  db.transaction((tx) => {
    tx.delete(orderStatusCounts).run();
    tx.run(sql`INSERT INTO order_status_counts (status, count) SELECT status, count(*) FROM orders GROUP BY status`);
  });
}
