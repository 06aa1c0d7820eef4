import { HealthResponse } from '@sitewright/contracts';
import { queryOptions } from '@tanstack/react-query';
import { requestApi } from '../../lib/api.ts';

export const healthKeys = {
  all: ['health'] as const,
};

/** How often the dashboard re-checks the server while it is open. */
const HEALTH_REFETCH_MS = 10_000;

/**
 * `GET /api/health`. A 503 whose body is a health report (database down) is data to show, not an
 * error: only an unreachable server or an unexpected answer makes the query fail.
 */
export function healthQueryOptions() {
  return queryOptions({
    queryKey: healthKeys.all,
    queryFn: ({ signal }) =>
      requestApi('/api/health', HealthResponse, { signal, acceptErrorStatusData: true }),
    refetchInterval: HEALTH_REFETCH_MS,
    // The next poll comes within seconds anyway; one quick retry rides out a blip without hiding an outage.
    retry: 1,
    retryDelay: 1_000,
  });
}
