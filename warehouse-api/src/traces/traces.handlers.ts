import type { AppDeps } from "../app-env.js";
import { jsonError } from "../lib/errors.js";
import { HTTP } from "../lib/http-status.js";
import type { AppRouteHandler } from "../lib/openapi.js";
import { askReceiver, toTraces } from "./receiver.js";
import type * as routes from "./traces.openapi.js";

export function tracesHandlers({ logger, traces }: AppDeps) {
  const getTraces: AppRouteHandler<typeof routes.getTraces> = async (c) => {
    const { correlationId } = c.req.valid("query");
    if (!traces) {
      return jsonError(
        c,
        HTTP.NOT_FOUND,
        "traces_not_collected",
        "This warehouse keeps no traces (WAREHOUSE_TRACES_URL is not set). Its spans go where OTEL_EXPORTER_OTLP_ENDPOINT " +
          "sends them, Jaeger for example: look the Reference up there.",
      );
    }
    const result = await askReceiver(traces, correlationId);
    if (result.kind === "found") return c.json(toTraces(correlationId, result.answer), HTTP.OK);
    // The order and its history are unaffected: only the view of where the time went is missing.
    logger.warn({ reason: result.reason, receiver: result.kind }, "traces: the trace receiver gave no answer");
    return jsonError(
      c,
      HTTP.BAD_GATEWAY,
      "traces_unavailable",
      result.kind === "unreachable"
        ? `The trace receiver could not be reached (${result.reason}). Try again in a moment.`
        : `The trace receiver's answer could not be read (${result.reason}).`,
    );
  };
  return { getTraces };
}
