/** Named HTTP statuses for the store's route handlers. */
export const HTTP = {
  OK: 200,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_SERVER_ERROR: 500,
} as const;

/** The one error shape of the store's JSON routes, the same as the warehouse's. */
export function errorResponse(
  status: number,
  error: string,
  message: string,
  correlationId: string,
  extra: Record<string, unknown> = {},
): Response {
  return Response.json({ error, message, correlationId, ...extra }, { status });
}
