import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../lib/api.ts';

/** The app's one QueryClient; created in main.tsx so tests can build their own. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx answer will not change on retry; network errors and 5xx may.
        retry: (failureCount, error) =>
          failureCount < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        staleTime: 5_000,
      },
    },
  });
}
