import { jsonRoute } from "../../../lib/correlation.server";
import { warehouseHealth } from "../../../warehouse/client.server";
import { warehouse } from "../../../warehouse/warehouse.server";

export const dynamic = "force-dynamic";

/**
 * The store is up if it answers; the warehouse's state is reported beside it for operators and probes:
 * whether it answers its health check, and the state of the circuit breaker order creation goes through.
 */
export const GET = jsonRoute(async (_request, _context, correlationId) =>
  Response.json({ status: "ok", warehouse: await warehouseHealth(warehouse()), correlationId }),
);
