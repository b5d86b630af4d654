/**
 * The store's routes as Next names them (`/orders/[number]`), for span names and metric labels: a path
 * such as /orders/ST-000123 would make one series per order, and whatever a client types one per request.
 * Kept beside the app folder's layout; a path that matches none is "other", never the path itself.
 */
const ROUTES: readonly (readonly [RegExp, string])[] = [
  [/^\/$/, "/"],
  [/^\/products$/, "/products"],
  [/^\/products\/[^/]+$/, "/products/[sku]"],
  [/^\/cart$/, "/cart"],
  [/^\/orders$/, "/orders"],
  [/^\/orders\/(new|find)$/, "/orders/$1"],
  [/^\/orders\/[^/]+$/, "/orders/[number]"],
  [/^\/api\/health$/, "/api/health"],
  [/^\/api\/orders\/[^/]+$/, "/api/orders/[number]"],
  [/^\/api\/warehouse-events$/, "/api/warehouse-events"],
  [/^\/(livez|readyz)$/, "/$1"],
  [/^\/bench\/empty-action$/, "/bench/empty-action"],
  [/^\/_next\/.*$/, "/_next/*"],
  [/^\/images\/.*$/, "/images/*"],
  [/^\/(icon\.svg|favicon\.ico)$/, "/$1"],
];

export function routeOf(path: string): string {
  for (const [pattern, route] of ROUTES) if (pattern.test(path)) return path.replace(pattern, route);
  return "other";
}
