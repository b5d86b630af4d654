// The repositories share their mapping code between SQLite and Postgres, so each table's row types must be
// the same in both dialects. Checked at typecheck time (`npm run typecheck` runs tsc over the tests): a
// column added, renamed, made nullable or retyped on one side only fails `tsc`.
import type { Table } from "drizzle-orm";
import { describe, expectTypeOf, it } from "vitest";

import type * as sqlite from "./schema.js";
import type * as pg from "./schema.postgres.js";

/** The names of a schema module's tables (its other exports, such as OUTBOX_STATES, left out). */
type TableNames<Schema> = keyof { [K in keyof Schema as Schema[K] extends Table ? K : never]: Schema[K] };

describe("the Postgres schema's row types", () => {
  it("cover the same tables as SQLite's, and the replicas' shared token guard", () => {
    // Postgres only: one SQLite process keeps the guard in memory (schema.postgres.ts says why).
    expectTypeOf<TableNames<typeof pg>>().toEqualTypeOf<TableNames<typeof sqlite> | "serviceTokenUses">();
  });

  it("are SQLite's, read and written, for every table", () => {
    expectTypeOf<typeof pg.orders.$inferSelect>().toEqualTypeOf<typeof sqlite.orders.$inferSelect>();
    expectTypeOf<typeof pg.orders.$inferInsert>().toEqualTypeOf<typeof sqlite.orders.$inferInsert>();
    expectTypeOf<typeof pg.orderLines.$inferSelect>().toEqualTypeOf<typeof sqlite.orderLines.$inferSelect>();
    expectTypeOf<typeof pg.orderLines.$inferInsert>().toEqualTypeOf<typeof sqlite.orderLines.$inferInsert>();
    expectTypeOf<typeof pg.orderEvents.$inferSelect>().toEqualTypeOf<typeof sqlite.orderEvents.$inferSelect>();
    expectTypeOf<typeof pg.orderEvents.$inferInsert>().toEqualTypeOf<typeof sqlite.orderEvents.$inferInsert>();
    expectTypeOf<typeof pg.statusOutbox.$inferSelect>().toEqualTypeOf<typeof sqlite.statusOutbox.$inferSelect>();
    expectTypeOf<typeof pg.statusOutbox.$inferInsert>().toEqualTypeOf<typeof sqlite.statusOutbox.$inferInsert>();
    expectTypeOf<typeof pg.orderStatusCounts.$inferSelect>().toEqualTypeOf<typeof sqlite.orderStatusCounts.$inferSelect>();
    expectTypeOf<typeof pg.orderStatusCounts.$inferInsert>().toEqualTypeOf<typeof sqlite.orderStatusCounts.$inferInsert>();
    expectTypeOf<typeof pg.staffUsers.$inferSelect>().toEqualTypeOf<typeof sqlite.staffUsers.$inferSelect>();
    expectTypeOf<typeof pg.staffUsers.$inferInsert>().toEqualTypeOf<typeof sqlite.staffUsers.$inferInsert>();
    expectTypeOf<typeof pg.staffSessions.$inferSelect>().toEqualTypeOf<typeof sqlite.staffSessions.$inferSelect>();
    expectTypeOf<typeof pg.staffSessions.$inferInsert>().toEqualTypeOf<typeof sqlite.staffSessions.$inferInsert>();
    expectTypeOf<typeof pg.signInThrottle.$inferSelect>().toEqualTypeOf<typeof sqlite.signInThrottle.$inferSelect>();
    expectTypeOf<typeof pg.signInThrottle.$inferInsert>().toEqualTypeOf<typeof sqlite.signInThrottle.$inferInsert>();
    expectTypeOf<typeof pg.idempotencyKeys.$inferSelect>().toEqualTypeOf<typeof sqlite.idempotencyKeys.$inferSelect>();
    expectTypeOf<typeof pg.idempotencyKeys.$inferInsert>().toEqualTypeOf<typeof sqlite.idempotencyKeys.$inferInsert>();
  });
});
