import {
  AlarmList,
  GateList,
  LlmCallList,
  ProjectModels,
  Spend,
  type UpdateProjectModels,
} from '@sitewright/contracts';
import { queryOptions } from '@tanstack/react-query';
import { requestApi } from '../../lib/api.ts';
import { projectKeys } from '../projects/queries.ts';

/** How many model calls the operator view shows (the API's maximum). */
export const LLM_CALLS_SHOWN = 50;

export function spendQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: projectKeys.spend(projectId),
    queryFn: ({ signal }) => requestApi(`/api/projects/${projectId}/spend`, Spend, { signal }),
  });
}

/** Open and resolved alarms alike (the project page's header only carries the open ones). */
export function alarmsQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: projectKeys.alarms(projectId),
    queryFn: async ({ signal }) =>
      (await requestApi(`/api/projects/${projectId}/alarms?status=all`, AlarmList, { signal })).alarms,
  });
}

export function gatesQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: projectKeys.gates(projectId),
    queryFn: async ({ signal }) =>
      (await requestApi(`/api/projects/${projectId}/gates`, GateList, { signal })).gates,
  });
}

/** The newest model calls with request and response as stored (secrets were redacted before). */
export function llmCallsQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: projectKeys.llmCalls(projectId),
    queryFn: async ({ signal }) =>
      (
        await requestApi(`/api/projects/${projectId}/llm-calls?limit=${LLM_CALLS_SHOWN}`, LlmCallList, {
          signal,
        })
      ).calls,
  });
}

/** The model each role uses for this project, and whether it is the server's or the project's choice. */
export function projectModelsQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: projectKeys.models(projectId),
    queryFn: ({ signal }) => requestApi(`/api/projects/${projectId}/models`, ProjectModels, { signal }),
  });
}

/** Sets or clears (null) a role's model for this project; the answer is the models as they now are. */
export function updateProjectModels(projectId: string, input: UpdateProjectModels): Promise<ProjectModels> {
  return requestApi(`/api/projects/${projectId}/models`, ProjectModels, { method: 'PATCH', body: input });
}
