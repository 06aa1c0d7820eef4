import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { applyServerMessage } from '../../lib/ws-bridge.ts';
import { connectProjectSocket } from '../../lib/ws-client.ts';
import { authKeys } from '../auth/queries.ts';
import { projectKeys } from '../projects/queries.ts';
import { emptyStream, type ProjectStream, streamQueryOptions } from './stream.ts';

/**
 * Follows a project live while the page shows it: one WebSocket per project page, resumed from the
 * last seq after any drop. After a reconnect the typed messages sent while away are gone, so the
 * project's REST state is refetched; the event stream itself misses nothing.
 */
export function useProjectStream(projectId: string): { stream: ProjectStream; gone: boolean } {
  const client = useQueryClient();
  const [gone, setGone] = useState(false);

  useEffect(() => {
    const key = projectKeys.stream(projectId);
    if (!client.getQueryData(key)) client.setQueryData(key, emptyStream());
    let wasDisconnected = false;
    let close = () => {};
    const connect = () => {
      close = connectProjectSocket({
        projectId,
        lastSeq: () => client.getQueryData<ProjectStream>(key)?.lastSeq ?? 0,
        onMessage: (message) => {
          applyServerMessage(client, projectId, message);
          if (message.type === 'event' && message.event.type === 'rewind_undone') {
            close();
            connect();
          }
        },
        onState: (connection) => {
          client.setQueryData<ProjectStream>(key, (old) => ({ ...(old ?? emptyStream()), connection }));
          if (connection === 'reconnecting') wasDisconnected = true;
          if (connection === 'open' && wasDisconnected) {
            wasDisconnected = false;
            void client.invalidateQueries({
              queryKey: projectKeys.project(projectId),
              predicate: (query) => query.queryKey[2] !== 'stream',
            });
          }
        },
        onFatal: (reason) => {
          if (reason === 'unauthenticated') client.setQueryData(authKeys.me, null);
          else setGone(true);
        },
      });
    };
    connect();
    return () => close();
  }, [client, projectId]);

  const stream = useQuery(streamQueryOptions(projectId)).data ?? emptyStream();
  return { stream, gone };
}
