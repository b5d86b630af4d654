import { NextResponse } from "next/server";

import { warehouseHealth } from "../../../checkout/warehouse-client.server";
import { warehouse } from "../../../checkout/warehouse.server";
import { withRequestCorrelation } from "../../../lib/correlation.server";

export const dynamic = "force-dynamic";

/**
 * The store is up if it answers; the warehouse's state is reported beside it for the status badge:
 * whether it answers its health check, and the state of the circuit breaker order creation goes through.
 */
export async function GET() {
  return withRequestCorrelation(async (correlationId) =>
    NextResponse.json({ status: "ok", warehouse: await warehouseHealth(warehouse), correlationId }),
  );
}
