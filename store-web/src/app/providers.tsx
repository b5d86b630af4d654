"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useState, type ReactNode } from "react";

const CorrelationContext = createContext<string | undefined>(undefined);

/** The correlation ID of the request that rendered this page: error boundaries show it as the reference. */
export function usePageCorrelationId() {
  return useContext(CorrelationContext);
}

export function Providers({ children, correlationId }: { children: ReactNode; correlationId: string }) {
  // One client per browser tab, made once; a stale time above 0 avoids refetching right after hydration.
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000 } } }));
  return (
    <CorrelationContext.Provider value={correlationId}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </CorrelationContext.Provider>
  );
}
