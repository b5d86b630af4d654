// The repositories can share their mapping code between SQLite and Postgres only if each table's row types
// are the same in both dialects. Checked at typecheck time (`npm run typecheck` runs tsc over the tests): a
// column added, renamed, made nullable or retyped on one side only fails `tsc`.
import type { Table } from "drizzle-orm";
import { describe, expectTypeOf, it } from "vitest";

import type * as sqlite from "./schema";
import type * as pg from "./schema.postgres";

/** The names of a schema module's tables (its other exports, such as OUTBOX_STATES, left out). */
type TableNames<Schema> = keyof { [K in keyof Schema as Schema[K] extends Table ? K : never]: Schema[K] };

describe("the Postgres schema's row types", () => {
  it("cover the same tables as SQLite's, and the replicas' shared rate limits", () => {
    // Postgres only: one SQLite process keeps its rate limits in memory (schema.postgres.ts says why).
    expectTypeOf<TableNames<typeof pg>>().toEqualTypeOf<TableNames<typeof sqlite> | "rateLimits" | "serviceTokenUses">();
  });

  it("are SQLite's, read and written, for every table", () => {
    expectTypeOf<typeof pg.products.$inferSelect>().toEqualTypeOf<typeof sqlite.products.$inferSelect>();
    expectTypeOf<typeof pg.products.$inferInsert>().toEqualTypeOf<typeof sqlite.products.$inferInsert>();
    expectTypeOf<typeof pg.cartItems.$inferSelect>().toEqualTypeOf<typeof sqlite.cartItems.$inferSelect>();
    expectTypeOf<typeof pg.cartItems.$inferInsert>().toEqualTypeOf<typeof sqlite.cartItems.$inferInsert>();
    expectTypeOf<typeof pg.orders.$inferSelect>().toEqualTypeOf<typeof sqlite.orders.$inferSelect>();
    expectTypeOf<typeof pg.orders.$inferInsert>().toEqualTypeOf<typeof sqlite.orders.$inferInsert>();
    expectTypeOf<typeof pg.orderViewers.$inferSelect>().toEqualTypeOf<typeof sqlite.orderViewers.$inferSelect>();
    expectTypeOf<typeof pg.orderViewers.$inferInsert>().toEqualTypeOf<typeof sqlite.orderViewers.$inferInsert>();
    expectTypeOf<typeof pg.orderLines.$inferSelect>().toEqualTypeOf<typeof sqlite.orderLines.$inferSelect>();
    expectTypeOf<typeof pg.orderLines.$inferInsert>().toEqualTypeOf<typeof sqlite.orderLines.$inferInsert>();
    expectTypeOf<typeof pg.orderStatusHistory.$inferSelect>().toEqualTypeOf<typeof sqlite.orderStatusHistory.$inferSelect>();
    expectTypeOf<typeof pg.orderStatusHistory.$inferInsert>().toEqualTypeOf<typeof sqlite.orderStatusHistory.$inferInsert>();
    expectTypeOf<typeof pg.orderOutbox.$inferSelect>().toEqualTypeOf<typeof sqlite.orderOutbox.$inferSelect>();
    expectTypeOf<typeof pg.orderOutbox.$inferInsert>().toEqualTypeOf<typeof sqlite.orderOutbox.$inferInsert>();
  });
});
