import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

import { DASHBOARD_PAGES } from "../../src/dashboard-pages";

// The address bar is the dashboard's state of record for where staff are: the list, an order, the
// accounts. A few lines over the History API, for four pages; the server serves each of their URLs
// (src/dashboard-pages.ts), so a pasted link, a reload, Back and Forward all land where they should.

export type Route =
  | { page: "orders"; orderId: string | null }
  | { page: "accounts" }
  | { page: "password" }
  /** A path the server would not serve (only Vite's dev server shows one). */
  | { page: "unknown" };

export const paths = {
  orders: DASHBOARD_PAGES.orders,
  order: (id: string) => DASHBOARD_PAGES.order.replace(":id", encodeURIComponent(id)),
  accounts: DASHBOARD_PAGES.accounts,
  password: DASHBOARD_PAGES.password,
};

/** `pattern`'s `:name` segments from `path`, or null when it does not match. */
function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const value = got[i] ?? "";
    if (segment.startsWith(":")) {
      if (value === "") return null;
      try {
        params[segment.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (segment !== value) return null;
  }
  return params;
}

export function routeOf(pathname: string): Route {
  if (match(DASHBOARD_PAGES.orders, pathname)) return { page: "orders", orderId: null };
  const order = match(DASHBOARD_PAGES.order, pathname);
  if (order) return { page: "orders", orderId: order.id ?? null };
  if (match(DASHBOARD_PAGES.accounts, pathname)) return { page: "accounts" };
  if (match(DASHBOARD_PAGES.password, pathname)) return { page: "password" };
  return { page: "unknown" };
}

// pushState fires no event of its own: navigate() tells the subscribers itself.
const NAVIGATED = "dashboard:navigated";

function subscribe(onChange: () => void) {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

/** The path in the address bar, kept current through navigate(), Back and Forward. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export const useRoute = (): Route => routeOf(usePathname());

/** What the dashboard keeps in a history entry: whether it opened an order over the list it came from. */
type EntryState = { overList?: boolean };

export const openedOverList = () => (window.history.state as EntryState | null)?.overList === true;

export function navigate(to: string, { replace = false, state = {} }: { replace?: boolean; state?: EntryState } = {}) {
  if (to === window.location.pathname && !replace) return;
  if (replace) window.history.replaceState(state, "", to);
  else window.history.pushState(state, "", to);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** A link the dashboard follows itself (no reload); a modified click (new tab, new window) is left to the browser. */
export function Link({ to, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    props.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a {...props} href={to} onClick={onClick} />;
}
