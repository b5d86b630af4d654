/**
 * The dashboard's pages, one URL each, so a link to an order can be pasted, reloaded and gone Back to.
 * The server answers every one of them with the dashboard's page (dashboard.routes.ts); the dashboard
 * reads from the path which one it is (dashboard/src/router.ts). Anything else is a 404: the dashboard's
 * own page for a browser, the API's JSON for anyone else.
 */
export const DASHBOARD_PAGES = {
  orders: "/",
  order: "/orders/:id",
  accounts: "/accounts",
  password: "/password",
} as const;

export type DashboardPage = keyof typeof DASHBOARD_PAGES;
