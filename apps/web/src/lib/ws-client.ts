/**
 * The project WebSocket: connects to `/ws/projects/:id?after=SEQ`, hands every parsed message to
 * `onMessage`, and reconnects with backoff from the last seq it saw — so nothing is missed or
 * duplicated across a dropped connection, a server restart or a `reconnect` from a slow link.
 */
import { ServerMessage, WsCloseCode } from '@sitewright/contracts';
import { refreshSession } from './api.ts';

export interface ProjectSocketOptions {
  projectId: string;
  /** The seq to resume after (read on every (re)connect). */
  lastSeq: () => number;
  onMessage: (message: ServerMessage) => void;
  onState: (state: 'connecting' | 'open' | 'reconnecting') => void;
  /** The session is gone or the project is not ours: stop trying. */
  onFatal: (reason: 'unauthenticated' | 'not_found') => void;
}

const MAX_BACKOFF_MS = 10_000;

export function connectProjectSocket(options: ProjectSocketOptions): () => void {
  let socket: WebSocket | null = null;
  let attempts = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let refreshedForThisFailure = false;

  function open(): void {
    if (closed) return;
    options.onState(attempts === 0 ? 'connecting' : 'reconnecting');
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${window.location.host}/ws/projects/${options.projectId}?after=${options.lastSeq()}`;
    const current = new WebSocket(url);
    socket = current;
    current.onopen = () => {
      attempts = 0;
      refreshedForThisFailure = false;
      options.onState('open');
      // Keeps idle proxies from closing the connection; the server answers pong.
      pingTimer = setInterval(() => current.send(JSON.stringify({ type: 'ping' })), 25_000);
    };
    current.onmessage = (event) => {
      const parsed = ServerMessage.safeParse(JSON.parse(String(event.data)));
      if (parsed.success) options.onMessage(parsed.data);
    };
    current.onclose = async (event) => {
      clearInterval(pingTimer);
      if (closed) return;
      if (event.code === WsCloseCode.notFound || event.code === WsCloseCode.forbidden)
        return options.onFatal('not_found');
      if (event.code === WsCloseCode.unauthenticated) {
        // An expired access token: rotate the session once, then try again.
        if (refreshedForThisFailure || !(await refreshSession())) return options.onFatal('unauthenticated');
        refreshedForThisFailure = true;
      }
      attempts++;
      const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempts, 6));
      options.onState('reconnecting');
      retryTimer = setTimeout(open, backoff * (0.5 + Math.random() / 2));
    };
  }

  open();
  return () => {
    closed = true;
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    socket?.close(1000);
  };
}
