import { ActionResult, type AgentAction, type AnswerRequest } from '@sitewright/contracts';
import { requestApi } from '../../lib/api.ts';

/** The owner's actions on a project. Their effects arrive over the WebSocket like everything else. */
export function answerPending(projectId: string, input: AnswerRequest): Promise<ActionResult> {
  return requestApi(`/api/projects/${projectId}/answer`, ActionResult, { method: 'POST', body: input });
}

export function sendMessage(projectId: string, text: string): Promise<ActionResult> {
  return requestApi(`/api/projects/${projectId}/messages`, ActionResult, { method: 'POST', body: { text } });
}

export function controlAgent(projectId: string, action: AgentAction): Promise<ActionResult> {
  return requestApi(`/api/projects/${projectId}/agent/${action}`, ActionResult, { method: 'POST' });
}

export function rewindTo(projectId: string, seq: number): Promise<ActionResult> {
  return requestApi(`/api/projects/${projectId}/rewind`, ActionResult, { method: 'POST', body: { seq } });
}
