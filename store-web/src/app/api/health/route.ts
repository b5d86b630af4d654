import { NextResponse } from "next/server";
import { warehouse } from "../../../checkout/warehouse.server";
import { withRequestCorrelation } from "../../../lib/correlation.server";

export const dynamic = "force-dynamic";

/** The store is up if it answers; the warehouse's state is reported beside it for the status badge. */
export async function GET() {
  return withRequestCorrelation(async (correlationId) => {
    const up = await warehouse.isHealthy();
    return NextResponse.json({ status: "ok", warehouse: up ? "up" : "down", correlationId });
  });
}
