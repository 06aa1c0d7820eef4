import { ProjectDetail, ProjectList } from '@sitewright/contracts';
import { queryOptions } from '@tanstack/react-query';
import { requestApi, requestNoContent } from '../../lib/api.ts';
import { catchUpPending } from '../../lib/pending-updates.ts';

/** Every server-state key of a project lives under `['projects', id, …]`; the WS bridge patches them. */
export const projectKeys = {
  all: ['projects'] as const,
  list: () => ['projects', 'list'] as const,
  project: (id: string) => ['projects', id] as const,
  detail: (id: string) => ['projects', id, 'detail'] as const,
  stream: (id: string) => ['projects', id, 'stream'] as const,
  board: (id: string) => ['projects', id, 'board'] as const,
  spend: (id: string) => ['projects', id, 'spend'] as const,
  alarms: (id: string) => ['projects', id, 'alarms'] as const,
  gates: (id: string) => ['projects', id, 'gates'] as const,
  llmCalls: (id: string) => ['projects', id, 'llm-calls'] as const,
  models: (id: string) => ['projects', id, 'models'] as const,
  commits: (id: string) => ['projects', id, 'commits'] as const,
  snapshots: (id: string) => ['projects', id, 'snapshots'] as const,
  specs: (id: string) => ['projects', id, 'specs'] as const,
};

export function projectListQueryOptions() {
  return queryOptions({
    queryKey: projectKeys.list(),
    queryFn: async ({ signal }) => (await requestApi('/api/projects', ProjectList, { signal })).projects,
  });
}

export function projectDetailQueryOptions(id: string) {
  return queryOptions({
    queryKey: projectKeys.detail(id),
    // A page read before a question opened may arrive after the socket said it did: catch it up.
    queryFn: async ({ signal }) =>
      catchUpPending(id, await requestApi(`/api/projects/${id}`, ProjectDetail, { signal })),
  });
}

export function createProject(name: string): Promise<ProjectDetail> {
  return requestApi('/api/projects', ProjectDetail, { method: 'POST', body: { name } });
}

export function deleteProject(id: string): Promise<void> {
  return requestNoContent(`/api/projects/${id}`, { method: 'DELETE' });
}
