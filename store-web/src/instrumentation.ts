import type { Instrumentation } from "next";

/**
 * Next calls this for every error thrown while rendering or in an action. Logged with the request's
 * correlation ID and the digest the error page shows, so either leads to the stack trace.
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ logger }, { inCorrelationScope }, { CORRELATION_HEADER }] = await Promise.all([
    import("./lib/logger.server"),
    import("./lib/correlation.server"),
    import("@fishtag/tracing/correlation"),
  ]);
  const header = request.headers[CORRELATION_HEADER];
  inCorrelationScope(typeof header === "string" ? header : undefined, () => {
    logger.error(
      { err: error, digest: (error as { digest?: string }).digest, path: request.path, route: context.routePath },
      "request failed",
    );
  });
};
