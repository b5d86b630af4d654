/**
 * On every response: Next's (next.config.ts `headers()`) and the ones server.ts writes itself when it
 * refuses a request before Next sees it. The CSP leaves scripts alone (Next's hydration uses inline
 * scripts, and nonces would make every page dynamic for no gain here) and closes what a store page never
 * needs: frames, plugins, a foreign <base>, forms posting elsewhere.
 */
export const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Strict-Transport-Security", value: "max-age=15552000; includeSubDomains" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
] as const;
