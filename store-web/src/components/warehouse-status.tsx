"use client";

import { useQuery } from "@tanstack/react-query";

type Health = { status: "ok"; warehouse: "up" | "down" };

async function fetchHealth(): Promise<Health> {
  const response = await fetch("/api/health");
  if (!response.ok) throw new Error(`health check answered ${response.status}`);
  return (await response.json()) as Health;
}

/** A small live badge: customers learn the warehouse is down before they fill in a whole form. */
export function WarehouseStatus() {
  const { data, isError } = useQuery({ queryKey: ["health"], queryFn: fetchHealth, refetchInterval: 10_000 });
  const state = isError ? "unknown" : data === undefined ? "checking" : data.warehouse;
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
