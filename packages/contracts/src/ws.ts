/**
 * The WebSocket message catalog of `/ws/projects/:id?after=SEQ`, versioned by `WS_PROTOCOL_VERSION`.
 *
 * A connection goes through three phases:
 * 1. `hello` — the protocol version and the project's newest seq when the connection was accepted.
 * 2. Replay — every event with seq > `after` (superseded ones included and marked, so a client sees
 *    rewinds), as `event` messages only, then `replay_done`.
 * 3. Live — each committed event as `event`, followed by the typed messages derived from it
 *    (`agent_status`, `pending`, `alarm`, `feature_update`, `progress`, `log`), and, while a model
 *    call is slow, `agent_typing` with the answer so far (not in the log).
 *
 * `event` seqs are contiguous and never repeat across the switch from replay to live: a client that
 * remembers the last seq it saw reconnects with `?after=<that seq>` and misses nothing. Typed messages
 * carry the seq of the event that caused them and the state as read when they were sent, which is at
 * or after that seq; they are never replayed (a client rebuilds state from REST, then from events).
 * After an event whose type is in `RESYNC_EVENT_TYPES` (a rewind, its undo, a rollback), projections
 * changed wholesale: refetch the project and the board instead of patching them.
 */
import { z } from 'zod';
import { WorkItemCard } from './board.ts';
import {
  Alarm,
  LifecycleState,
  PausedReason,
  Pending,
  Progress,
  ProjectEvent,
  RunStatus,
} from './projects.ts';

/** Bumped on any incompatible change of the messages below; sent in `hello`. */
export const WS_PROTOCOL_VERSION = 1;

/**
 * Why the server closed a connection. Every refusal happens after the upgrade, so a browser sees the
 * code (a refused handshake would only show as 1006). Codes 1xxx are the protocol's own.
 *
 * - 1001 going away: the server is shutting down; reconnect with `after` = the last seq seen.
 * - 1006 (never sent; seen by clients) the connection died — e.g. it missed a ping and was terminated.
 * - 1009 message too big: a client message above the size limit (the server's `ws` sends it).
 * - 1011 internal error: the server could not read the log; reconnect later.
 * - 4400 bad request: `after` is not a whole number ≥ 0.
 * - 4401 unauthenticated: no valid session cookie, or the session ended while connected (logout,
 *   password change, access-token expiry; checked every minute): refresh the session, then reconnect.
 * - 4403 forbidden: the page's Origin is neither the server's own nor in CORS_ORIGINS (cross-site
 *   WebSocket hijacking), or REQUIRE_LOCALHOST is on and the peer is not local.
 * - 4404 not found: no such project, or another user's (the two are indistinguishable by design), or
 *   the project was deleted while connected.
 * - 4408 slow consumer: the client fell too far behind; a `reconnect` message precedes the close.
 */
export const WsCloseCode = {
  goingAway: 1001,
  messageTooBig: 1009,
  internalError: 1011,
  badRequest: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
  notFound: 4404,
  slowConsumer: 4408,
} as const;
export type WsCloseCode = (typeof WsCloseCode)[keyof typeof WsCloseCode];

/** Events after which a client refetches REST state rather than patching it (see the file comment). */
export const RESYNC_EVENT_TYPES: readonly string[] = ['rewound', 'rewind_undone', 'board_restored'];

const seq = z.number().int().nonnegative();

export const WsHello = z.object({
  type: z.literal('hello'),
  version: z.number().int().positive(),
  projectId: z.uuid(),
  /** The project's newest seq when the connection was accepted. */
  lastSeq: seq,
});

/** One entry of the log (replayed or live). */
export const WsEvent = z.object({ type: z.literal('event'), seq, event: ProjectEvent });

export const WsProgress = z.object({ type: z.literal('progress'), seq, progress: Progress });

/** The run status, lifecycle state and stage after a run-status, lifecycle or stage change. */
export const WsAgentStatus = z.object({
  type: z.literal('agent_status'),
  seq,
  status: RunStatus,
  pausedReason: PausedReason.nullable(),
  resumeAt: z.string().nullable(),
  state: LifecycleState,
  stage: z.string(),
});

/** A card changed (or its dependencies did); `item` is null and `deleted` true when it was removed. */
export const WsFeatureUpdate = z.object({
  type: z.literal('feature_update'),
  seq,
  itemId: z.number().int().positive(),
  item: WorkItemCard.nullable(),
  deleted: z.boolean().optional(),
});

export const WsAlarm = z.object({ type: z.literal('alarm'), seq, alarm: Alarm });

export const PendingStatus = z.enum(['open', 'answered', 'cancelled']);
export type PendingStatus = z.infer<typeof PendingStatus>;

export const WsPending = z.object({
  type: z.literal('pending'),
  seq,
  pending: Pending,
  status: PendingStatus,
});

export const LogLevel = z.enum(['info', 'warn', 'error']);
export type LogLevel = z.infer<typeof LogLevel>;

/** A plain-words line about what the agent did (tools, checks, model failures) for the activity feed. */
export const WsLog = z.object({ type: z.literal('log'), seq, level: LogLevel, message: z.string() });

/**
 * The agent's answer while the model is still writing it: the text so far (its tail when long), sent a
 * few times a second during a slow call. Not part of the log and never replayed: the turn's events
 * (a message, a question, a tool step) follow, and `done` says the text stops here.
 */
export const WsAgentTyping = z.object({
  type: z.literal('agent_typing'),
  turn: z.number().int().positive(),
  text: z.string(),
  done: z.boolean(),
});

/** The replay is over; everything after this is live. `lastSeq` is the last seq sent (or `after`). */
export const WsReplayDone = z.object({ type: z.literal('replay_done'), lastSeq: seq });

export const WsPong = z.object({ type: z.literal('pong'), id: z.string().optional() });

/** A client message the server could not use; the connection stays open. */
export const WsError = z.object({ type: z.literal('error'), code: z.string(), message: z.string() });

/** Sent (best effort) before a 4408 close: reconnect with `?after=<lastSeq>`. */
export const WsReconnect = z.object({ type: z.literal('reconnect'), lastSeq: seq, reason: z.string() });

export const ServerMessage = z.discriminatedUnion('type', [
  WsHello,
  WsEvent,
  WsProgress,
  WsAgentStatus,
  WsFeatureUpdate,
  WsAlarm,
  WsPending,
  WsLog,
  WsAgentTyping,
  WsReplayDone,
  WsPong,
  WsError,
  WsReconnect,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageType = ServerMessage['type'];
/** One server message by its `type`. */
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;

/** An application-level ping (browsers cannot send protocol pings); answered by `pong` with the same id. */
export const WsPing = z.object({ type: z.literal('ping'), id: z.string().max(64).optional() });

export const ClientMessage = z.discriminatedUnion('type', [WsPing]);
export type ClientMessage = z.infer<typeof ClientMessage>;
