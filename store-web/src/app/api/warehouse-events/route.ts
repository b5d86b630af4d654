import { createReplayGuard } from "@fishtag/service-auth/tokens";

import { env } from "../../../env";
import { jsonRoute } from "../../../lib/correlation.server";
import { logger } from "../../../lib/logger.server";
import { remember } from "../../../lib/singleton.server";
import { repos } from "../../../repos.server";
import { handleStatusEvent } from "../../../warehouse/status-events.handler";

export const dynamic = "force-dynamic";

/** Status events from the warehouse's relay (warehouse/status-events.handler.ts). */
export const POST = jsonRoute((request, _context: unknown, correlationId) =>
  handleStatusEvent(request, correlationId, {
    orders: repos().orders,
    publicKey: env.WAREHOUSE_PUBLIC_KEY,
    // One per process: a token taken once is refused again, whichever bundle sees it.
    replay: remember("statusEventReplayGuard", createReplayGuard),
    logger,
  }),
);
