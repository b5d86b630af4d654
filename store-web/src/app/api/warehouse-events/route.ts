import { createReplayGuard } from "@fishtag/service-auth/tokens";

import { repos } from "../../../db/repos.server";
import { env } from "../../../env";
import { logger } from "../../../lib/logger.server";
import { handleWarehouseEvent } from "../../../warehouse-events/warehouse-events.handler";

export const dynamic = "force-dynamic";

// One per process (this route is the only one that takes warehouse tokens).
const replay = createReplayGuard();

/** Status events from the warehouse's relay; the contract is in warehouse-events.handler.ts. */
export function POST(request: Request) {
  return handleWarehouseEvent(request, { orders: repos().orders, publicKey: env.WAREHOUSE_PUBLIC_KEY, replay, logger });
}
