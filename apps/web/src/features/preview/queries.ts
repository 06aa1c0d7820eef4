import { CommitList, SnapshotDto, SnapshotList } from '@sitewright/contracts';
import { queryOptions } from '@tanstack/react-query';
import { requestApi } from '../../lib/api.ts';
import { projectKeys } from '../projects/queries.ts';

/** The site's commits, newest first (the server keeps the newest 100). */
export function commitsQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: projectKeys.commits(projectId),
    queryFn: async ({ signal }) =>
      (await requestApi(`/api/projects/${projectId}/commits`, CommitList, { signal })).commits,
  });
}

/** Saved snapshots (board + site commit), newest first; rollbacks add automatic ones. */
export function snapshotsQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: projectKeys.snapshots(projectId),
    queryFn: async ({ signal }) =>
      (await requestApi(`/api/projects/${projectId}/snapshots`, SnapshotList, { signal })).snapshots,
  });
}

export function saveSnapshot(projectId: string, name: string): Promise<SnapshotDto> {
  return requestApi(`/api/projects/${projectId}/snapshots`, SnapshotDto, { method: 'POST', body: { name } });
}

/** Board and site files return to the snapshot; the server keeps the state before as an automatic one. */
export function rollBackToSnapshot(projectId: string, snapshotId: string): Promise<SnapshotDto> {
  return requestApi(`/api/projects/${projectId}/snapshots/${snapshotId}/rollback`, SnapshotDto, {
    method: 'POST',
  });
}

/** Same-origin paths the browser opens itself (frame, tab, download): never the token URL. */
export const sitePaths = {
  preview: (projectId: string) => `/preview/${projectId}/`,
  zip: (projectId: string) => `/api/projects/${projectId}/site.zip`,
};
