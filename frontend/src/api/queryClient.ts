import { type DefaultOptions, QueryClient } from "@tanstack/react-query";
import { ApiError } from "./errors";

export function createQueryClient(overrides: DefaultOptions["queries"] = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Client errors (4xx) will not fix themselves; retry server/network errors twice.
        retry: (failureCount, error) =>
          !(error instanceof ApiError && error.status < 500) && failureCount < 2,
        ...overrides,
      },
      mutations: { retry: false },
    },
  });
}
