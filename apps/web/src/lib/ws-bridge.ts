/**
 * The one place WebSocket messages change client state. Events append to the project's stream
 * (chat, timeline); typed messages patch the project page, the board and the list; a rewind or a
 * rollback refetches what it rewrote. The agent's live text goes to its own store (it is not server
 * state), and leaves it when the turn's outcome arrives as events.
 */
import {
  type Board,
  type ProjectDetail,
  type ProjectSummary,
  RESYNC_EVENT_TYPES,
  type ServerMessage,
  type WorkItemCard,
} from '@sitewright/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { useAgentTyping } from '../features/chat/store.ts';
import { emptyStream, type ProjectStream } from '../features/project/stream.ts';
import { projectKeys } from '../features/projects/queries.ts';
import { recordPendingUpdate, withPendingUpdate } from './pending-updates.ts';

const MAX_ACTIVITY = 200;

export function applyServerMessage(client: QueryClient, projectId: string, message: ServerMessage): void {
  const updateStream = (update: (stream: ProjectStream) => ProjectStream) =>
    client.setQueryData<ProjectStream>(projectKeys.stream(projectId), (old) => update(old ?? emptyStream()));
  const updateDetail = (update: (detail: ProjectDetail) => ProjectDetail) =>
    client.setQueryData<ProjectDetail>(projectKeys.detail(projectId), (old) => (old ? update(old) : old));

  switch (message.type) {
    case 'hello':
      return;
    case 'event': {
      let resync = false;
      let appended = false;
      updateStream((stream) => {
        if (message.seq <= stream.lastSeq) return stream;
        appended = true;
        let events = [...stream.events, message.event];
        const payload = message.event.payload as { cutSeq?: number };
        if (message.event.type === 'rewound' && typeof payload.cutSeq === 'number') {
          const cut = payload.cutSeq;
          events = events.map((event) =>
            event.seq > cut && event.seq < message.seq ? { ...event, superseded: true } : event,
          );
        }
        resync = stream.live && RESYNC_EVENT_TYPES.includes(message.event.type);
        return { ...stream, events, lastSeq: message.seq };
      });
      if (message.event.type === 'rewind_undone') {
        // What was hidden is active again: start the stream over so the chat shows it.
        client.setQueryData(projectKeys.stream(projectId), { ...emptyStream(), connection: 'reconnecting' });
        void client.invalidateQueries({ queryKey: projectKeys.project(projectId) });
      } else if (resync) {
        void client.invalidateQueries({
          queryKey: projectKeys.project(projectId),
          predicate: (query) => query.queryKey[2] !== 'stream',
        });
      } else if (message.event.type === 'snapshot_created') {
        void client.invalidateQueries({ queryKey: projectKeys.snapshots(projectId) });
      }
      const stale = staleAfter[message.event.type];
      if (stale) refreshSoon(client, projectId, stale);
      if (appended && endsTyping.has(message.event.type)) useAgentTyping.getState().endTyping(projectId);
      return;
    }
    case 'replay_done':
      updateStream((stream) => ({ ...stream, live: true }));
      // The replay carries events only: typed messages sent before this socket joined (the first
      // question, asked while the page was still opening) are caught up from the REST state.
      void client.invalidateQueries({
        queryKey: projectKeys.project(projectId),
        predicate: (query) => query.queryKey[2] !== 'stream',
      });
      return;
    case 'agent_status': {
      const { status, pausedReason, resumeAt, state, stage } = message;
      updateDetail((detail) => ({
        ...detail,
        project: { ...detail.project, status, pausedReason, resumeAt, state, stage },
      }));
      patchSummary(client, projectId, { status, pausedReason, resumeAt, state, stage });
      if (stage === 'build' || state === 'completed') {
        void client.invalidateQueries({ queryKey: projectKeys.commits(projectId) });
      }
      return;
    }
    case 'pending': {
      const update = { seq: message.seq, pending: message.pending, status: message.status };
      recordPendingUpdate(projectId, update);
      updateDetail((detail) => withPendingUpdate(detail, update));
      return;
    }
    case 'alarm':
      updateDetail((detail) => {
        const others = detail.alarms.filter((alarm) => alarm.id !== message.alarm.id);
        return { ...detail, alarms: message.alarm.status === 'open' ? [message.alarm, ...others] : others };
      });
      void client.invalidateQueries({ queryKey: projectKeys.alarms(projectId) });
      return;
    case 'feature_update':
      client.setQueryData<Board>(projectKeys.board(projectId), (board) =>
        board ? placeCard(board, message.itemId, message.item) : board,
      );
      if (message.item?.evidence) void client.invalidateQueries({ queryKey: projectKeys.commits(projectId) });
      return;
    case 'progress':
      updateDetail((detail) => ({ ...detail, progress: message.progress }));
      client.setQueryData<Board>(projectKeys.board(projectId), (board) =>
        board ? { ...board, progress: message.progress } : board,
      );
      patchSummary(client, projectId, { progress: message.progress });
      return;
    case 'agent_typing':
      useAgentTyping.getState().receiveTyping(projectId, message);
      return;
    case 'log':
      updateStream((stream) => ({
        ...stream,
        activity: [
          ...stream.activity,
          { seq: message.seq, level: message.level, message: message.message },
        ].slice(-MAX_ACTIVITY),
      }));
      return;
    case 'reconnect':
    case 'pong':
    case 'error':
      return;
  }
}

/**
 * Events after which nothing the agent was writing is still being written: the call's answer is in
 * (or it failed), its words are shown as a message or a question, the run stopped, or the history was
 * rewritten. A lost `done` ends the typing here.
 */
const endsTyping: ReadonlySet<string> = new Set([
  'worker_output',
  'worker_failed',
  'worker_output_invalid',
  'agent_message',
  'pending_opened',
  'run_status_changed',
  ...RESYNC_EVENT_TYPES,
]);

/** What an event makes stale that no typed message patches: refetched, at most once a second. */
const staleAfter: Record<string, Array<'detail' | 'gates' | 'spend' | 'llmCalls'>> = {
  gate_evaluated: ['detail', 'gates'],
  worker_output: ['detail', 'spend', 'llmCalls'],
  worker_failed: ['detail', 'spend', 'llmCalls'],
  worker_output_invalid: ['spend', 'llmCalls'],
};

const pendingRefresh = new Map<string, Set<'detail' | 'gates' | 'spend' | 'llmCalls'>>();

function refreshSoon(
  client: QueryClient,
  projectId: string,
  keys: Array<'detail' | 'gates' | 'spend' | 'llmCalls'>,
): void {
  const queued = pendingRefresh.get(projectId);
  if (queued) {
    for (const key of keys) queued.add(key);
    return;
  }
  pendingRefresh.set(projectId, new Set(keys));
  setTimeout(() => {
    const due = pendingRefresh.get(projectId) ?? new Set();
    pendingRefresh.delete(projectId);
    for (const key of due) void client.invalidateQueries({ queryKey: projectKeys[key](projectId) });
  }, 1_000);
}

/** The engine's queue order (work-items/board.ts `compareQueue`): lanes list cards in it. */
function compareQueue(a: WorkItemCard, b: WorkItemCard): number {
  const group = (card: WorkItemCard) => (card.itemType === 'bug' ? 0 : card.itemType === 'fix' ? 1 : 2);
  return (
    a.queueOrder - b.queueOrder ||
    group(a) - group(b) ||
    a.layer - b.layer ||
    a.priority - b.priority ||
    a.id - b.id
  );
}

function patchSummary(client: QueryClient, projectId: string, patch: Partial<ProjectSummary>): void {
  client.setQueryData<ProjectSummary[]>(projectKeys.list(), (list) =>
    list?.map((project) => (project.id === projectId ? { ...project, ...patch } : project)),
  );
}

/** Moves a card to where it now belongs (or removes it), keeping every other card where it is. */
export function placeCard(board: Board, itemId: number, item: WorkItemCard | null): Board {
  const lanes = Object.fromEntries(
    Object.entries(board.lanes).map(([lane, cards]) => [lane, cards.filter((card) => card.id !== itemId)]),
  ) as Board['lanes'];
  const wasBug = board.bugs.some(({ bug }) => bug.id === itemId);
  let bugs = board.bugs
    .filter(({ bug }) => bug.id !== itemId || item?.itemType === 'bug')
    .map((entry) => ({ ...entry, fixes: entry.fixes.filter((fix) => fix.id !== itemId) }));
  if (item) {
    if (item.itemType === 'bug') {
      // An updated bug keeps its place; a new one goes on top.
      bugs = wasBug
        ? bugs.map((entry) => (entry.bug.id === itemId ? { ...entry, bug: item } : entry))
        : [{ bug: item, fixes: [] }, ...bugs];
    } else {
      if (item.lane) {
        const lane = lanes[item.lane] ?? [];
        const index = lane.findIndex((card) => compareQueue(card, item) > 0);
        lanes[item.lane] =
          index === -1 ? [...lane, item] : [...lane.slice(0, index), item, ...lane.slice(index)];
      }
      if (item.parentBugId !== null) {
        bugs = bugs.map((entry) =>
          entry.bug.id === item.parentBugId
            ? { ...entry, fixes: [...entry.fixes, item].sort(compareQueue) }
            : entry,
        );
      }
    }
  }
  return { ...board, lanes, bugs };
}
