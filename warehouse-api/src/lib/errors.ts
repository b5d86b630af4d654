import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

import type { AppEnv } from "../app-env.js";

/** The one error shape of this API. */
export const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: "validation_failed" }),
    message: z.string(),
    correlationId: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Error");

type ErrorBody = z.infer<typeof ErrorSchema>;

type ValidationIssue = NonNullable<ErrorBody["issues"]>[number];

function errorBody(c: Context<AppEnv>, error: string, message: string, issues?: ValidationIssue[]): ErrorBody {
  return { error, message, correlationId: c.get("correlationId"), ...(issues ? { issues } : {}) };
}

export function jsonError<S extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  status: S,
  error: string,
  message: string,
  issues?: ValidationIssue[],
) {
  return c.json(errorBody(c, error, message, issues), status);
}

export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}
