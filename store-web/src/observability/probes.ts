import type { ServerResponse } from "node:http";

import { CORRELATION_HEADER } from "@fishtag/tracing/correlation";

/**
 * The orchestrator's probes, answered by server.ts before Next (a probe every few seconds has no page to
 * render, and must answer while Next is busy): /livez while the process answers at all, /readyz when the
 * store can take orders: its database answers with every migration, and the outbox relay runs. Whether
 * the warehouse answers is deliberately not part of it: the store takes orders while it is down.
 */
export type ProbeDeps = {
  /** Why the database should not get traffic, or undefined (db.server.ts's databaseProbe). */
  database: () => Promise<string | undefined>;
  relayRunning: () => boolean;
};

export const PROBE_PATHS = new Set(["/livez", "/readyz"]);

export async function answerProbe(path: "/livez" | "/readyz", res: ServerResponse, correlationId: string, deps: ProbeDeps): Promise<void> {
  const reason =
    path === "/readyz"
      ? ((await deps.database()) ?? (deps.relayRunning() ? undefined : "The order outbox relay is not running."))
      : undefined;
  const body = reason ? { error: "unavailable", message: reason, correlationId } : { status: "ok" };
  res.writeHead(reason ? 503 : 200, {
    "content-type": "application/json",
    "cache-control": "no-store",
    [CORRELATION_HEADER]: correlationId,
  });
  res.end(JSON.stringify(body));
}
