import { createRoute } from "@hono/zod-openapi";

import { HTTP } from "../lib/http-status.js";
import { errorContent, jsonContent } from "../lib/openapi.js";
import { STAFF_SESSION_SCHEME } from "../staff/require-staff.js";
import { TracesQuerySchema, TracesSchema } from "./traces.schemas.js";

export const getTraces = createRoute({
  method: "get",
  path: "/api/traces",
  tags: ["Traces (staff API)"],
  summary: "The spans of a Reference's traces, for the dashboard's waterfall",
  description:
    "Read from the trace receiver that `npm start` runs (WAREHOUSE_TRACES_URL). A warehouse that sends its spans elsewhere " +
    "(OTEL_EXPORTER_OTLP_ENDPOINT: Jaeger, Tempo, ...) has none, and answers 404 `traces_not_collected`: look the Reference up there.",
  security: [{ [STAFF_SESSION_SCHEME]: [] }],
  request: { query: TracesQuerySchema },
  responses: {
    [HTTP.OK]: jsonContent(
      TracesSchema,
      "Its traces, oldest first; none yet when their spans have not arrived (they are sent every few seconds)",
    ),
    [HTTP.BAD_REQUEST]: errorContent("Not a correlation ID (see `issues`)"),
    [HTTP.UNAUTHORIZED]: errorContent("No staff session"),
    [HTTP.NOT_FOUND]: errorContent("This warehouse keeps no traces: WAREHOUSE_TRACES_URL is not set (`traces_not_collected`)"),
    [HTTP.BAD_GATEWAY]: errorContent("The trace receiver could not be reached or gave no usable answer (`traces_unavailable`)"),
  },
});
