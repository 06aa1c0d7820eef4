/**
 * The website flow's state, read from the active event log (so rewinds and restarts see the same):
 * the latest brief and mockup, and the owner's decisions on them.
 */
import type { Db } from '@sitewright/db';
import { projects } from '@sitewright/db';
import { readEvents, type StoredEvent } from '@sitewright/engine';
import { eq } from 'drizzle-orm';
import { Brief } from '../brief.ts';
import { Mockup } from '../mockup.ts';

export const MOCKUP_EVENT = 'mockup_rendered';

/** The whole active log of a project; the flow's state (brief, mockup, decisions) is read from it. */
export type LogReader = (projectId: string) => Promise<StoredEvent[]>;

/**
 * One reader for the whole pack. Hooks, gates, tools and the summary all need the flow state within
 * the same step, so the log is read once per new head seq (one small query checks the head).
 */
export function createLogReader(db: Db): LogReader {
  const cache = new Map<string, { head: number; events: StoredEvent[] }>();
  return async (projectId) => {
    const [row] = await db
      .select({ head: projects.lastSeq })
      .from(projects)
      .where(eq(projects.id, projectId));
    const head = row?.head ?? 0;
    const cached = cache.get(projectId);
    if (cached?.head === head) return cached.events;
    const events = await readEvents(db, projectId, { limit: Number.MAX_SAFE_INTEGER });
    cache.delete(projectId);
    cache.set(projectId, { head, events });
    if (cache.size > 64) cache.delete(cache.keys().next().value as string);
    return events;
  };
}

export interface MockupRecord {
  seq: number;
  mockup: Mockup;
  wireframe: string;
  html: string;
}

export interface Decision {
  subject: string;
  askedSeq: number;
  answeredSeq: number | null;
  approved: boolean | null;
  notes: string;
}

export function latestBrief(events: readonly StoredEvent[]): { seq: number; brief: Brief } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as StoredEvent;
    if (event.type === 'brief_saved') {
      const parsed = Brief.safeParse(event.payload.brief);
      return parsed.success ? { seq: event.seq, brief: parsed.data } : null;
    }
  }
  return null;
}

export function latestMockup(events: readonly StoredEvent[]): MockupRecord | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as StoredEvent;
    if (event.type === 'domain' && event.payload.name === MOCKUP_EVENT) {
      const data = event.payload.data as { mockup: unknown; wireframe: string; html: string };
      const parsed = Mockup.safeParse(data.mockup);
      return parsed.success
        ? { seq: event.seq, mockup: parsed.data, wireframe: data.wireframe, html: data.html }
        : null;
    }
  }
  return null;
}

/** Approval requests and their answers, oldest first. */
export function decisions(events: readonly StoredEvent[]): Decision[] {
  const bySeq: Decision[] = [];
  const byId = new Map<string, Decision>();
  for (const event of events) {
    if (event.type === 'pending_opened' && event.payload.kind === 'approval') {
      const decision: Decision = {
        subject: event.payload.subject ?? '',
        askedSeq: event.seq,
        answeredSeq: null,
        approved: null,
        notes: '',
      };
      bySeq.push(decision);
      byId.set(event.payload.pendingId, decision);
    }
    if (event.type === 'pending_answered') {
      const decision = byId.get(event.payload.pendingId);
      if (decision) {
        const answer = event.payload.answer as { approved?: boolean; notes?: string };
        decision.answeredSeq = event.seq;
        decision.approved = answer.approved ?? null;
        decision.notes = answer.notes ?? '';
      }
    }
  }
  return bySeq;
}

/** The owner's latest decision on a subject asked after `afterSeq`, if any. */
export function latestDecision(
  events: readonly StoredEvent[],
  subject: string,
  afterSeq = 0,
): Decision | null {
  const matching = decisions(events).filter(
    (decision) => decision.subject === subject && decision.askedSeq > afterSeq,
  );
  return matching.at(-1) ?? null;
}

/**
 * The brief is confirmed when the owner approved the latest saved brief — or approved a mockup
 * rendered from it (a colour or tone changed during the mockup review is approved with the mockup).
 */
export function briefApproved(events: readonly StoredEvent[]): boolean {
  const brief = latestBrief(events);
  if (brief === null) return false;
  if (latestDecision(events, 'brief', brief.seq)?.approved === true) return true;
  const mockup = latestMockup(events);
  return (
    mockup !== null &&
    mockup.seq > brief.seq &&
    latestDecision(events, 'mockup', mockup.seq)?.approved === true
  );
}

/** The mockup is approved when the owner approved the latest rendered mockup. */
export function mockupApproved(events: readonly StoredEvent[]): boolean {
  const mockup = latestMockup(events);
  return mockup !== null && latestDecision(events, 'mockup', mockup.seq)?.approved === true;
}
