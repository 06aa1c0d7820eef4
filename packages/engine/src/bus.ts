/**
 * Live delivery of committed events to subscribers (the API's WebSocket hub), per project, in seq
 * order, without gaps or duplicates. Within a process the engine publishes events it just committed;
 * across processes a NOTIFY carries only `projectId:seq` (payloads stop at 8000 bytes) and listeners
 * fetch the events from the log. A gap — a missed notification, a commit from another process — is
 * always filled from the log, so delivery never depends on every notification arriving.
 *
 * Live text (the model's answer while it is being written, see live.ts) is not in the log: it goes
 * to this process' subscribers directly and, across processes, whole in a NOTIFY on its own channel
 * (it is capped to fit). It is best effort by design: a lost notice is replaced by the next one.
 */
import { randomUUID } from 'node:crypto';
import type { Db, DbHandle } from '@sitewright/db';
import { projects } from '@sitewright/db';
import { eq } from 'drizzle-orm';
import { readEvents } from './events/log.ts';
import type { StoredEvent } from './events/types.ts';
import type { LiveText } from './live.ts';

export const EVENTS_CHANNEL = 'sitewright_events';
export const LIVE_CHANNEL = 'sitewright_live';

export type EventListener = (event: StoredEvent) => void;
export type LiveListener = (text: LiveText) => void;

export interface EventBus {
  /** Hand over events that were just committed (the engine's `onEvents`). */
  publish(events: StoredEvent[]): void;
  /** Live events of a project from now on; returns the unsubscribe function. */
  subscribe(projectId: string, listener: EventListener): Promise<() => void>;
  /** Hand over live text (the engine's `onLive`). */
  publishLive(text: LiveText): void;
  /** A project's live text from now on; returns the unsubscribe function. */
  subscribeLive(projectId: string, listener: LiveListener): () => void;
  close(): Promise<void>;
}

export interface EventBusOptions {
  db: Db;
  /** LISTEN/NOTIFY of the database; omit in the single-process mode. */
  notifications?: Pick<DbHandle, 'listen' | 'notify'>;
  onError?: (error: unknown) => void;
}

export async function createEventBus(options: EventBusOptions): Promise<EventBus> {
  const { db, notifications } = options;
  /** Tells this bus' own live notices apart when they come back through LISTEN. */
  const processTag = randomUUID();
  const listeners = new Map<string, Set<EventListener>>();
  const liveListeners = new Map<string, Set<LiveListener>>();
  const delivered = new Map<string, number>();
  const queues = new Map<string, Promise<void>>();
  const report = (error: unknown) => options.onError?.(error);

  function emit(projectId: string, event: StoredEvent): void {
    const last = delivered.get(projectId) ?? 0;
    if (event.seq !== last + 1) return;
    delivered.set(projectId, event.seq);
    for (const listener of listeners.get(projectId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        report(error);
      }
    }
  }

  /** Serialised per project, so two catch-ups never interleave. */
  function catchUp(projectId: string): Promise<void> {
    const next = (queues.get(projectId) ?? Promise.resolve()).then(async () => {
      if (!listeners.has(projectId)) return;
      const after = delivered.get(projectId) ?? 0;
      for (const event of await readEvents(db, projectId, { afterSeq: after, includeSuperseded: true })) {
        emit(projectId, event);
      }
    });
    const settled: Promise<void> = next.catch(report).finally(() => {
      if (queues.get(projectId) === settled) queues.delete(projectId);
    });
    queues.set(projectId, settled);
    return settled;
  }

  function deliver(projectId: string, events: StoredEvent[]): void {
    const last = delivered.get(projectId) ?? 0;
    const fresh = events.filter((event) => event.seq > last).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) return;
    if ((fresh[0] as StoredEvent).seq !== last + 1 || queues.has(projectId)) {
      void catchUp(projectId);
      return;
    }
    for (const event of fresh) emit(projectId, event);
  }

  const unlisten = notifications
    ? await notifications.listen(
        EVENTS_CHANNEL,
        (payload) => {
          const [projectId, seq] = payload.split(':');
          if (projectId && listeners.has(projectId) && Number(seq) > (delivered.get(projectId) ?? 0)) {
            void catchUp(projectId);
          }
        },
        // Listening again after a lost connection (a database restart): notifications sent in between
        // are gone, and a project that commits nothing more would otherwise never be caught up.
        () => {
          for (const projectId of listeners.keys()) void catchUp(projectId);
        },
      )
    : null;

  function emitLive(text: LiveText): void {
    for (const listener of liveListeners.get(text.projectId) ?? []) {
      try {
        listener(text);
      } catch (error) {
        report(error);
      }
    }
  }
  const unlistenLive = notifications
    ? await notifications.listen(LIVE_CHANNEL, (payload) => {
        try {
          const { from, ...text } = JSON.parse(payload) as LiveText & { from?: string };
          // Sent by this process too: its own subscribers already have it.
          if (from !== processTag) emitLive(text);
        } catch (error) {
          report(error);
        }
      })
    : null;

  return {
    publish(events) {
      const byProject = new Map<string, StoredEvent[]>();
      for (const event of events)
        byProject.set(event.projectId, [...(byProject.get(event.projectId) ?? []), event]);
      for (const [projectId, projectEvents] of byProject) {
        if (listeners.has(projectId)) deliver(projectId, projectEvents);
        const lastSeq = Math.max(...projectEvents.map((event) => event.seq));
        notifications?.notify(EVENTS_CHANNEL, `${projectId}:${lastSeq}`).catch(report);
      }
    },
    async subscribe(projectId, listener) {
      if (!listeners.has(projectId)) {
        const [row] = await db
          .select({ lastSeq: projects.lastSeq })
          .from(projects)
          .where(eq(projects.id, projectId));
        listeners.set(projectId, new Set());
        delivered.set(projectId, Math.max(delivered.get(projectId) ?? 0, row?.lastSeq ?? 0));
      }
      listeners.get(projectId)?.add(listener);
      return () => {
        const set = listeners.get(projectId);
        set?.delete(listener);
        if (set && set.size === 0) {
          listeners.delete(projectId);
          delivered.delete(projectId);
        }
      };
    },
    publishLive(text) {
      emitLive(text);
      notifications?.notify(LIVE_CHANNEL, JSON.stringify({ ...text, from: processTag })).catch(report);
    },
    subscribeLive(projectId, listener) {
      let set = liveListeners.get(projectId);
      if (!set) {
        set = new Set();
        liveListeners.set(projectId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) liveListeners.delete(projectId);
      };
    },
    async close() {
      listeners.clear();
      liveListeners.clear();
      await unlisten?.();
      await unlistenLive?.();
    },
  };
}
