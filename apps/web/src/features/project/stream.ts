import type { LogLevel, ProjectEvent } from '@sitewright/contracts';
import { queryOptions } from '@tanstack/react-query';
import { projectKeys } from '../projects/queries.ts';

/** A plain-words activity line (tools, checks, model failures). */
export interface ActivityLine {
  seq: number;
  level: LogLevel;
  message: string;
}

/**
 * The project's event log as this page has received it over the WebSocket: replayed from the start,
 * then live. The chat and the timeline are projections of it. Only the WS bridge writes it.
 */
export interface ProjectStream {
  events: ProjectEvent[];
  /** The last seq received; a reconnect asks for everything after it. */
  lastSeq: number;
  /** The replay is over: what arrives now is live. */
  live: boolean;
  connection: 'connecting' | 'open' | 'reconnecting';
  activity: ActivityLine[];
}

export const emptyStream = (): ProjectStream => ({
  events: [],
  lastSeq: 0,
  live: false,
  connection: 'connecting',
  activity: [],
});

/** Read-only for components; never fetched (the WebSocket fills it). */
export function streamQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: projectKeys.stream(projectId),
    queryFn: () => emptyStream(),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
}
