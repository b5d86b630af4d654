import {
  keepPreviousData,
  MutationCache,
  QueryCache,
  QueryClient,
  useInfiniteQuery,
  useIsMutating,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
} from "@tanstack/react-query";
import { useEffect } from "react";

import {
  addAccount,
  ApiError,
  changeAccount,
  changeOwnPassword,
  getOrder,
  getOrderEvents,
  getSession,
  getTraces,
  isSessionEnded,
  listAccounts,
  listOrders,
  newAction,
  resetPassword,
  transitionOrder,
  type AccountChange,
  type Action,
  type NewAccount,
  type Order,
  type OrderFilter,
  type OrderPage,
  type OrderStatus,
  type Session,
  type StaffAccount,
} from "./api";
import { orderTitle, STATUS_LABELS } from "./format";

/** New orders from the Store show up within this long, without a reload. */
export const POLL_MS = 3_000;

export const keys = {
  session: ["session"] as const,
  orders: ["orders"] as const,
  lists: ["orders", "list"] as const,
  list: (filter: OrderFilter) => ["orders", "list", filter] as const,
  order: (id: string) => ["orders", "detail", id] as const,
  events: (id: string) => ["orders", "events", id] as const,
  traces: (correlationId: string) => ["traces", correlationId] as const,
  move: ["move-order"] as const,
  accounts: ["staff-accounts"] as const,
};

/**
 * Polling pauses while a move is in flight: a poll answered just before the move lands would put the
 * old status back on screen for a moment, undoing the optimistic update.
 */
function usePollInterval(): number | false {
  return useIsMoving() ? false : POLL_MS;
}

export const useIsMoving = () => useIsMutating({ mutationKey: keys.move }) > 0;

export function createQueryClient(): QueryClient {
  const onError = (error: Error) => {
    // Any 401 means the session is over (expired, signed out elsewhere): back to the sign-in screen.
    if (isSessionEnded(error)) client.setQueryData<Session | null>(keys.session, null);
    // The session was replaced (signed in again in another tab): fetch its token for the next try.
    if (error instanceof ApiError && error.code === "csrf_failed") void client.invalidateQueries({ queryKey: keys.session });
  };
  const client = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 2_000,
        // A 4xx will not fix itself; a network blip or a 5xx gets one more try before it shows.
        retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 1,
      },
      mutations: { retry: false },
    },
  });
  return client;
}

export function useSession() {
  return useQuery({ queryKey: keys.session, queryFn: ({ signal }) => getSession(signal), staleTime: Infinity });
}

export function useOrderList(filter: OrderFilter) {
  const refetchInterval = usePollInterval();
  return useInfiniteQuery({
    queryKey: keys.list(filter),
    queryFn: ({ pageParam, signal }) => listOrders(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval,
    // Switching tabs or typing keeps the current rows on screen until the new ones arrive: no flash.
    placeholderData: keepPreviousData,
  });
}

type ListData = InfiniteData<OrderPage, string | null>;

function findInLists(client: QueryClient, id: string): Order | undefined {
  for (const [, data] of client.getQueriesData<ListData>({ queryKey: keys.lists })) {
    for (const page of data?.pages ?? []) {
      const order = page.items.find((item) => item.id === id);
      if (order) return order;
    }
  }
  return undefined;
}

/** A 4xx for one order (404: no such order; 400: not even an id) will not change by asking again. */
export const isNoSuchOrder = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.status === 400);

/** The store's order number as customers quote it (ST-000123), in any case. */
const ORDER_NUMBER = /^st-\d+$/i;

/**
 * The order a link names. Links carry the warehouse's id, but staff paste the number a customer quoted
 * (/orders/ST-000123): that is looked up by search and the address replaced with the order's own, so
 * reload and Back behave as for any order. Null while it is looked up; a number no order has stays as
 * it is, and the detail says there is no such order.
 */
export function useOrderFromLink(orderId: string | null, openOrder: (id: string) => void): string | null {
  const byNumber = orderId !== null && ORDER_NUMBER.test(orderId);
  const found = useQuery({
    queryKey: ["order-number", orderId],
    enabled: byNumber,
    queryFn: ({ signal }) => listOrders({ status: null, q: orderId ?? "" }, null, signal),
    select: (page) => page.items.find((order) => order.storeOrderNumber?.toLowerCase() === orderId?.toLowerCase())?.id ?? null,
  });
  const id = found.data;
  useEffect(() => {
    if (byNumber && id) openOrder(id);
  }, [byNumber, id, openOrder]);
  if (!byNumber) return orderId;
  return found.isSuccess && id === null ? orderId : null;
}

export function useOrder(id: string) {
  const client = useQueryClient();
  const pollMs = usePollInterval();
  return useQuery<Order>({
    queryKey: keys.order(id),
    queryFn: ({ signal }) => getOrder(id, { signal }),
    refetchInterval: (query) => (isNoSuchOrder(query.state.error) ? false : pollMs),
    // The row already holds the whole order: show it at once while the detail loads.
    placeholderData: () => findInLists(client, id),
  });
}

export function useOrderEvents(id: string) {
  const refetchInterval = usePollInterval();
  return useQuery({
    queryKey: keys.events(id),
    queryFn: async ({ signal }) => (await getOrderEvents(id, signal)).items,
    refetchInterval,
  });
}

/** How long after a step its spans may still be arriving: exporters send in batches, the relay's delivery comes later. */
const SPANS_ARRIVE_WITHIN_MS = 2 * 60_000;

/**
 * The traces of one Reference, while its disclosure is open (its only user). A recent step's spans keep arriving for a
 * while (the exporters send every few seconds, the status event goes out after the move), so it is asked
 * again meanwhile; an older one's are all in. A refusal (no receiver here: 404) is not asked again.
 */
export function useTraces(correlationId: string, at: string) {
  return useQuery({
    queryKey: keys.traces(correlationId),
    queryFn: ({ signal }) => getTraces(correlationId, signal),
    refetchInterval: (query) => (query.state.error === null && Date.now() - Date.parse(at) < SPANS_ARRIVE_WITHIN_MS ? POLL_MS : false),
  });
}

export type TransitionVariables = { order: Order; to: OrderStatus; reason?: string };

type Snapshot = { detail: Order | undefined; lists: [readonly unknown[], ListData | undefined][] };

function withStatus(data: ListData, id: string, from: OrderStatus, to: OrderStatus): ListData {
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      items: page.items.map((item) => (item.id === id ? { ...item, status: to } : item)),
      // The counts are over all orders, so they move even in a list that does not show this one.
      counts: { ...page.counts, [from]: Math.max(0, page.counts[from] - 1), [to]: page.counts[to] + 1 },
    })),
  };
}

/**
 * Moves an order on, optimistically: the detail and every cached list show the new status at once and
 * go back to what they were if the warehouse says no. One click is one action (an ID and a trace), used
 * for the POST and, on a conflict, for the read that finds out what happened instead.
 */
export function useMoveOrder(csrfToken: string, onDone: (message: string) => void) {
  const client = useQueryClient();
  return useMutation<Order, Error, TransitionVariables, Snapshot>({
    mutationKey: keys.move,
    mutationFn: async ({ order, to, reason }) => {
      const action = newAction();
      try {
        return await transitionOrder(order.id, { to, ...(reason === undefined ? {} : { reason }) }, csrfToken, action);
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) throw await explainConflict(error, order, action);
        throw error;
      }
    },
    onMutate: async ({ order, to }) => {
      await client.cancelQueries({ queryKey: keys.orders });
      const snapshot: Snapshot = {
        detail: client.getQueryData<Order>(keys.order(order.id)),
        lists: client.getQueriesData<ListData>({ queryKey: keys.lists }),
      };
      client.setQueryData<Order>(keys.order(order.id), (current) => (current ? { ...current, status: to } : current));
      client.setQueriesData<ListData>({ queryKey: keys.lists }, (data) => (data ? withStatus(data, order.id, order.status, to) : data));
      return snapshot;
    },
    onError: (_error, { order }, snapshot) => {
      if (!snapshot) return;
      client.setQueryData(keys.order(order.id), snapshot.detail);
      for (const [key, data] of snapshot.lists) client.setQueryData(key, data);
    },
    onSuccess: (updated) => {
      client.setQueryData(keys.order(updated.id), updated);
      onDone(`Order ${orderTitle(updated)} is now ${STATUS_LABELS[updated.status].toLowerCase()}.`);
    },
    onSettled: () => client.invalidateQueries({ queryKey: keys.orders }),
  });
}

/** A 409 says "not any more"; a fresh read can usually say what it is now and spare staff a guess. */
async function explainConflict(conflict: ApiError, order: Order, action: Action): Promise<ApiError> {
  try {
    const current = await getOrder(order.id, { actionId: action.id, traceparent: action.traceparent });
    if (current.status === order.status) return conflict;
    return new ApiError({
      status: conflict.status,
      code: conflict.code,
      message: `This order was already moved to ${STATUS_LABELS[current.status].toLowerCase()} by someone else.`,
      correlationId: conflict.correlationId,
    });
  } catch {
    return conflict;
  }
}

export function useAccounts() {
  return useQuery({ queryKey: keys.accounts, queryFn: async ({ signal }) => (await listAccounts(signal)).items });
}

export function useAddAccount(csrfToken: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (account: NewAccount) => addAccount(account, csrfToken),
    onSuccess: (added) => {
      client.setQueryData<StaffAccount[]>(keys.accounts, (accounts) => (accounts ? [...accounts, added] : accounts));
    },
    onSettled: () => client.invalidateQueries({ queryKey: keys.accounts }),
  });
}

/**
 * Disables, enables or changes the role of an account, optimistically: the list shows it at once and goes
 * back if the warehouse says no (the last admin, say). A change to one's own role also changes one's session.
 */
export function useChangeAccount(session: Session) {
  const client = useQueryClient();
  return useMutation<StaffAccount, Error, { account: StaffAccount; change: AccountChange }, StaffAccount[] | undefined>({
    mutationFn: ({ account, change }) => changeAccount(account.id, change, session.csrfToken),
    onMutate: async ({ account, change }) => {
      await client.cancelQueries({ queryKey: keys.accounts });
      const before = client.getQueryData<StaffAccount[]>(keys.accounts);
      client.setQueryData<StaffAccount[]>(keys.accounts, (accounts) =>
        accounts?.map((item) => (item.id === account.id ? { ...item, ...change } : item)),
      );
      return before;
    },
    onError: (_error, _variables, before) => {
      client.setQueryData(keys.accounts, before);
    },
    onSuccess: (changed) => {
      if (changed.id === session.user.id) void client.invalidateQueries({ queryKey: keys.session });
    },
    onSettled: () => client.invalidateQueries({ queryKey: keys.accounts }),
  });
}

export function useResetPassword(csrfToken: string) {
  return useMutation({ mutationFn: ({ id, password }: { id: string; password: string }) => resetPassword(id, password, csrfToken) });
}

export function useChangeOwnPassword(csrfToken: string) {
  return useMutation({
    mutationFn: (change: { currentPassword: string; newPassword: string }) => changeOwnPassword(change, csrfToken),
  });
}
