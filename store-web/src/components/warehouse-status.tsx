"use client";

import { useQuery } from "@tanstack/react-query";

import type { WarehouseHealth } from "../warehouse/client.server";

type Health = { status: "ok"; warehouse: WarehouseHealth };

async function fetchHealth(): Promise<Health> {
  const response = await fetch("/api/health");
  if (!response.ok) throw new Error(`health check answered ${response.status}`);
  return (await response.json()) as Health;
}

/** A small live badge: customers learn the warehouse is down before they fill in a whole form. */
export function WarehouseStatus() {
  const { data, isError } = useQuery({ queryKey: ["health"], queryFn: fetchHealth, refetchInterval: 10_000 });
  // An open circuit means checkouts fail fast for a few seconds even if the warehouse answers again.
  const up = data !== undefined && data.warehouse.reachable && data.warehouse.breaker !== "open";
  const state = isError ? "unknown" : data === undefined ? "checking" : up ? "up" : "down";
  const label = {
    checking: "Checking the warehouse…",
    up: "Warehouse online",
    down: "Warehouse offline: orders may fail",
    unknown: "Store status unknown",
  }[state];
  return (
    <p className={`status-badge status-${state}`} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {label}
    </p>
  );
}
