// The dashboard writes its API types by hand (dashboard/src/api.ts says why). This file holds them to the
// API's own schemas at typecheck time: a field added, renamed or retyped on one side only fails `tsc`.
import { describe, expectTypeOf, it } from "vitest";

import type {
  Order as DashboardOrder,
  OrderEvent as DashboardOrderEvent,
  Session as DashboardSession,
  StaffAccount as DashboardStaffAccount,
  Traces as DashboardTraces,
} from "../dashboard/src/api.js";
import type { Order, OrderEvent } from "./orders/orders.schemas.js";
import type { SessionResponse } from "./staff/session.openapi.js";
import type { StaffAccountJson } from "./staff/staff.schemas.js";
import type { Traces } from "./traces/traces.schemas.js";

describe("the dashboard's API types", () => {
  it("are the API's: orders, events, the session, the staff accounts and traces", () => {
    expectTypeOf<DashboardOrder>().toEqualTypeOf<Order>();
    expectTypeOf<DashboardOrderEvent>().toEqualTypeOf<OrderEvent>();
    expectTypeOf<DashboardSession>().toEqualTypeOf<SessionResponse>();
    expectTypeOf<DashboardStaffAccount>().toEqualTypeOf<StaffAccountJson>();
    expectTypeOf<DashboardTraces>().toEqualTypeOf<Traces>();
  });
});
