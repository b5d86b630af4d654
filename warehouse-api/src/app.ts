import { httpInstrumentationMiddleware } from "@hono/otel";
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";

import type { AppDeps, AppEnv } from "./app-env.js";
import { dashboardNotFound, dashboardRoutes } from "./dashboard.routes.js";
import { docsRoutes } from "./docs/docs.routes.js";
import { healthRoutes } from "./health/health.routes.js";
import { jsonError, toIssues } from "./lib/errors.js";
import { HTTP } from "./lib/http-status.js";
import { bodyLimit } from "./middleware/body-limit.js";
import { correlation } from "./middleware/correlation.js";
import { flags } from "./middleware/flags.js";
import { STORE_TOKEN_SCHEME } from "./middleware/require-store.js";
import { ordersRoutes } from "./orders/orders.routes.js";
import { accountsRoutes } from "./staff/accounts.routes.js";
import { createPasswordGuard } from "./staff/password-guard.js";
import { requireStaff, SESSION_COOKIE, STAFF_SESSION_SCHEME } from "./staff/require-staff.js";
import { sessionRoutes } from "./staff/session.routes.js";
import { createStaffRepo } from "./staff/staff.repo.js";
import { tracesRoutes } from "./traces/traces.routes.js";

export const BODY_LIMIT_BYTES = 64 * 1024;

/** What /openapi.json says about the API as a whole; the routes add the rest. */
const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "fishtag Warehouse API",
    version: "1.0.0",
    description: "Every request may carry `X-Correlation-Id` (1–128 of `[A-Za-z0-9._:-]`); every response carries the ID in use.",
  },
};

// Error codes for the statuses Hono's own middleware raises (malformed JSON, wrong content type, ...).
const ERROR_CODES: Partial<Record<number, string>> = {
  [HTTP.BAD_REQUEST]: "bad_request",
  [HTTP.PAYLOAD_TOO_LARGE]: "payload_too_large",
  [HTTP.UNSUPPORTED_MEDIA_TYPE]: "unsupported_media_type",
};

/**
 * True when reading the request's body failed on the client's side: the stream was cut before its end.
 * An error from the app's own code comes after the body was read whole, or with no body at all. Tests'
 * app.request() has no socket (and no env), whatever `c.env`'s type says.
 */
function bodyBrokenOff(bindings: AppEnv["Bindings"] | undefined): boolean {
  const incoming = bindings?.incoming;
  return incoming !== undefined && !incoming.complete && (incoming.errored !== null || incoming.destroyed);
}

/** Builds the warehouse's HTTP app. It opens nothing itself: the caller owns the database and the logger. */
export function createApp(deps: AppDeps) {
  const { logger, exposeErrors = false } = deps;

  const app = new OpenAPIHono<AppEnv>({
    // Schema violations anywhere (body, params, query) come back in the API's one error shape.
    defaultHook: (result, c) => {
      if (!result.success) {
        return jsonError(c, HTTP.BAD_REQUEST, "validation_failed", "The request is not valid.", toIssues(result.error));
      }
      return undefined;
    },
  });

  // The request's span first (continuing the caller's trace from traceparent), so that everything after,
  // the correlation scope included, happens inside it.
  app.use(httpInstrumentationMiddleware({ serviceName: "warehouse-api" }));
  app.use(correlation(logger));
  app.use(flags(logger));
  // Hono's defaults (nosniff, frame denial, HSTS, no referrer leaks, ...) plus a CSP that fits the
  // dashboard: everything from this origin, no inline script, and no framing (clickjacking a staff
  // member into "Cancel order" is the attack it stops).
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  app.use("/api/*", bodyLimit(BODY_LIMIT_BYTES));

  const staff = createStaffRepo(deps.db);
  const staffGate = requireStaff(staff);
  const passwords = createPasswordGuard(deps.db, deps.passwordChecks);
  app.openAPIRegistry.registerComponent("securitySchemes", STAFF_SESSION_SCHEME, {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description: "Set by POST /api/session. State-changing calls also need the session's X-CSRF-Token.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", STORE_TOKEN_SCHEME, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "A token the Store signs per call with its Ed25519 key (alg EdDSA): iss `store-web`, aud `warehouse-api` (one string), " +
      "iat, exp at most 60 s later, jti, and htm/htu: the method and URL of this call (RFC 9449). " +
      "Checked against STORE_PUBLIC_KEY with 5 s of clock tolerance.",
  });

  if (deps.dashboardDir) app.route("/", dashboardRoutes(deps.dashboardDir));
  app.route("/", healthRoutes(deps));
  app.route("/", sessionRoutes(deps, staff, passwords, staffGate));
  app.route("/", accountsRoutes(deps, staff, passwords, staffGate));
  app.route("/", ordersRoutes(deps, staffGate));
  app.route("/", tracesRoutes(deps, staffGate));

  app.doc31("/openapi.json", OPENAPI_DOCUMENT);
  app.route(
    "/",
    docsRoutes(() => app.getOpenAPI31Document(OPENAPI_DOCUMENT)),
  );

  const { dashboardDir } = deps;
  app.notFound(
    async (c) =>
      (dashboardDir ? await dashboardNotFound(dashboardDir, c) : undefined) ??
      jsonError(c, HTTP.NOT_FOUND, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`),
  );

  // The one error handler: known HTTP errors keep their status, a body the client broke off is its error,
  // everything else is a logged 500.
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      const { status } = error;
      return jsonError(c, status, ERROR_CODES[status] ?? "http_error", error.message);
    }
    if (bodyBrokenOff(c.env)) {
      // Node has already answered 400 and closed the connection (a malformed chunk), or the client went
      // away mid-body: anyone can cause it, so it is a warning, and no stack trace.
      logger.warn("request body broken off: malformed, or the client went away");
      return jsonError(c, HTTP.BAD_REQUEST, "bad_request", "The request body could not be read.");
    }
    logger.error({ err: error }, "unhandled error");
    const message = exposeErrors && error instanceof Error ? (error.stack ?? error.message) : "Something went wrong.";
    return jsonError(c, HTTP.INTERNAL_SERVER_ERROR, "internal_error", message);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
