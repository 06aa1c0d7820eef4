/**
 * The owner's side of a journey for API tests: follow a project over the WebSocket, and answer
 * whatever the agent waits for (from a brief, the pizzeria's by default) until the journey reaches a
 * given point.
 */
import { ActionResult, type Pending, ProjectDetail, ServerMessage } from '@sitewright/contracts';
import type { Brief } from '@sitewright/website';
import { ownerAnswer, pizzeriaBrief } from '@sitewright/website/testing';
import WebSocket from 'ws';
import type { ApiClient } from './api-harness.ts';

export interface Follower {
  socket: WebSocket;
  messages: ServerMessage[];
  /** Resolves on the next message, or after `timeoutMs`. */
  next(timeoutMs: number): Promise<void>;
}

/** A WebSocket follower that keeps every message and wakes waiters on each one. */
export function follow(base: string, owner: ApiClient, projectId: string, after = 0): Follower {
  const messages: ServerMessage[] = [];
  let wake: () => void = () => {};
  const socket = new WebSocket(`${base.replace('http', 'ws')}/ws/projects/${projectId}?after=${after}`, {
    headers: { cookie: owner.cookieHeader(), origin: base },
  });
  socket.on('message', (data) => {
    messages.push(ServerMessage.parse(JSON.parse(String(data))));
    wake();
  });
  const next = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return { socket, messages, next };
}

/** What the owner answers to a pending: approve, continue, or the brief's answer to the question. */
export function answerFor(pending: Pending, brief: Brief = pizzeriaBrief) {
  if (pending.kind === 'approval') return { pendingId: pending.id, approved: true };
  if (pending.kind === 'continuation') return { pendingId: pending.id, answer: 'continue' };
  return { pendingId: pending.id, answer: ownerAnswer(brief, pending.question ?? '') ?? 'none' };
}

/** Answers whatever the agent waits for, until `done` says the journey reached its point. */
export async function playOwner(
  owner: ApiClient,
  projectId: string,
  follower: Follower,
  done: (detail: ProjectDetail) => boolean,
  timeoutMs: number,
  brief: Brief = pizzeriaBrief,
): Promise<ProjectDetail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const detail = ProjectDetail.parse((await owner.get(`/api/projects/${projectId}`)).body);
    if (done(detail)) return detail;
    if (
      detail.project.status === 'failed' ||
      (detail.project.status === 'paused' && detail.pending.length === 0)
    ) {
      throw new Error(
        `the run stopped: ${detail.project.status} ${detail.project.pausedReason} ${JSON.stringify(detail.alarms)}`,
      );
    }
    for (const pending of detail.pending) {
      const response = await owner.post(`/api/projects/${projectId}/answer`, answerFor(pending, brief));
      // Another answer may have raced this one (a pending already resolved): fetch again.
      if (response.status !== 409) ActionResult.parse(response.body);
    }
    await follower.next(2_000);
  }
  throw new Error('the journey did not reach its point in time');
}
