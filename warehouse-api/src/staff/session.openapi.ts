import { createRoute, z } from "@hono/zod-openapi";

import { HTTP } from "../lib/http-status.js";
import { errorContent, jsonContent, jsonContentRequired } from "../lib/openapi.js";
import { StaffUserSchema } from "./staff.schemas.js";

const SessionSchema = z.object({ user: StaffUserSchema, csrfToken: z.string() }).openapi("StaffSession");

/** Who is signed in: a session, or nobody. */
const CurrentSessionSchema = z
  .union([SessionSchema, z.object({ user: z.null(), csrfToken: z.null() })])
  .openapi("CurrentStaffSession", { description: "`user` and `csrfToken` are null when nobody is signed in." });

export type SessionResponse = z.infer<typeof SessionSchema>;
export type CurrentSessionResponse = z.infer<typeof CurrentSessionSchema>;

const SignInSchema = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) }).openapi("SignIn");

export const signIn = createRoute({
  method: "post",
  path: "/api/session",
  tags: ["Staff session"],
  summary: "Sign in (sets the session cookie)",
  request: { body: jsonContentRequired(SignInSchema, "Credentials") },
  responses: {
    [HTTP.OK]: jsonContent(SessionSchema, "Signed in"),
    [HTTP.BAD_REQUEST]: errorContent("Malformed"),
    [HTTP.UNAUTHORIZED]: errorContent("Wrong email or password"),
    [HTTP.TOO_MANY_REQUESTS]: errorContent("Too many attempts from this client, or at this account; see Retry-After"),
    [HTTP.SERVICE_UNAVAILABLE]: errorContent("Too many sign-ins at once for the password checks; see Retry-After"),
  },
});

export const current = createRoute({
  method: "get",
  path: "/api/session",
  tags: ["Staff session"],
  summary: "Who is signed in, and the session's CSRF token; nobody is an answer too (open to anyone)",
  responses: { [HTTP.OK]: jsonContent(CurrentSessionSchema, "The session, or `{ user: null, csrfToken: null }`") },
});

export const signOut = createRoute({
  method: "delete",
  path: "/api/session",
  tags: ["Staff session"],
  summary: "Sign out (needs X-CSRF-Token)",
  responses: {
    [HTTP.NO_CONTENT]: { description: "Signed out" },
    [HTTP.UNAUTHORIZED]: errorContent("Not signed in"),
    [HTTP.FORBIDDEN]: errorContent("Missing or wrong CSRF token"),
  },
});
