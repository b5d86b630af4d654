import { env } from "../../../env";
import { jsonRoute } from "../../../lib/correlation.server";
import { logger } from "../../../lib/logger.server";
import { repos } from "../../../repos.server";
import { handleStatusEvent } from "../../../warehouse/status-events.handler";
import { statusEventReplayGuard } from "../../../warehouse/warehouse.server";

export const dynamic = "force-dynamic";

/** Status events from the warehouse's relay (warehouse/status-events.handler.ts). */
export const POST = jsonRoute((request, _context, correlationId) =>
  handleStatusEvent(request, correlationId, {
    orders: repos().orders,
    publicKey: env.WAREHOUSE_PUBLIC_KEY,
    replay: statusEventReplayGuard(),
    logger,
  }),
);
