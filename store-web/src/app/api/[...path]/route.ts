import { jsonRoute } from "../../../lib/correlation.server";
import { errorResponse, HTTP } from "../../../lib/http";

export const dynamic = "force-dynamic";

/** Any other path under /api: a 404 in the API's error shape, not the store's HTML page. */
const notFound = jsonRoute((request, _context, correlationId) =>
  errorResponse(HTTP.NOT_FOUND, "not_found", `No route for ${request.method} ${new URL(request.url).pathname}.`, correlationId),
);

export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as POST, notFound as PUT };
