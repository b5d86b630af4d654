import { createRoute, z } from "@hono/zod-openapi";

import { HTTP } from "../lib/http-status.js";
import { errorContent, jsonContent, jsonContentRequired } from "../lib/openapi.js";

const SessionSchema = z.object({ user: z.object({ email: z.string(), name: z.string() }), csrfToken: z.string() }).openapi("StaffSession");

export type SessionResponse = z.infer<typeof SessionSchema>;

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
  summary: "The signed-in staff member and the CSRF token",
  responses: { [HTTP.OK]: jsonContent(SessionSchema, "Signed in"), [HTTP.UNAUTHORIZED]: errorContent("Not signed in") },
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
