/**
 * The WebSocket hub: `/ws/projects/:id?after=SEQ` on the HTTP server's upgrade event. The message
 * catalog, the phases of a connection and the close codes are documented in
 * `@sitewright/contracts` (ws.ts); this file is the transport.
 *
 * - Refusals happen after the upgrade, as close codes (4403 foreign origin or not local under
 *   REQUIRE_LOCALHOST, 4401 no session, 4400 bad `after`, 4404 not found or not yours), so a browser
 *   can tell them apart (a refused handshake only shows as 1006); nothing is sent before the close.
 *   Only other paths (HTTP 404) and upgrades during shutdown (503) are refused before the upgrade.
 * - One bus subscription per watched project (a *channel*), shared by all its clients: each live event
 *   is serialised once and its typed messages are read from the database once per batch.
 * - No gap, no duplicate across replay → live: a client joins its channel (live frames are held for it)
 *   before it reads the log, and held `event` frames at or below the last replayed seq are skipped.
 * - Admission is not forever: every minute each connection's session and project are checked again
 *   (4401 after a logout, a password change or the access token's expiry; 4404 once the project is
 *   gone). A client refreshes its session and reconnects with `after` = its last seq, losing nothing.
 * - Bounded memory per client: a client whose socket buffer plus held frames exceed
 *   WS_MAX_BUFFERED_BYTES is sent `reconnect` and closed with 4408; the replay itself waits for the
 *   socket to drain between pages, so a long history never piles up in memory.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ClientMessage, type ServerMessage, WS_PROTOCOL_VERSION, WsCloseCode } from '@sitewright/contracts';
import { readEvents, type StoredEvent } from '@sitewright/engine';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { AppDeps } from '../app.ts';
import { AppError } from '../errors.ts';
import { isLoopbackAddress, isTrustedOrigin } from '../http/security.ts';
import { findOwnedProject } from '../modules/projects/access.ts';
import { deriveLiveMessages, encode, eventFrame, type Frame } from './messages.ts';

export interface WsHub {
  /** Connected clients right now. */
  clients(): number;
  /**
   * Checks every connection's session and project again (the hub does so every minute): a session
   * that expired or was revoked closes with 4401, a project deleted or no longer the user's with 4404.
   */
  recheckSessions(): Promise<void>;
  /** Closes every connection (code 1001) and stops accepting upgrades. */
  close(): Promise<void>;
}

/** Client messages are small pings; anything bigger is refused by `ws` with 1009. */
const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024;
/** Events read from the log per replay query. */
const REPLAY_PAGE = 500;
/** How long a closed slow or shutting-down client gets to answer the close before it is cut off. */
const CLOSE_GRACE_MS = 3_000;
/**
 * How often open connections are admitted again. A socket outlives the request that opened it, so
 * without this a logout, a password change or a deleted project would not stop the stream.
 */
const SESSION_RECHECK_MS = 60_000;

const PATH = /^\/ws\/projects\/([^/]+)\/?$/;

interface Client {
  ws: WebSocket;
  /** The upgrade request: its cookie is checked again periodically. */
  req: IncomingMessage;
  channel: Channel;
  /** `replay`: live frames are held; `live`: sent as they come; `gone`: left the channel. */
  phase: 'replay' | 'live' | 'gone';
  held: Frame[];
  heldBytes: number;
  /** The last event seq handed to the socket (the `after` a reconnect should use). */
  lastSeq: number;
  /** Answered the last ping. */
  alive: boolean;
}

interface Channel {
  projectId: string;
  clients: Set<Client>;
  /** Resolves once the bus subscription is in place. */
  ready: Promise<void>;
  unsubscribe: (() => void) | null;
  /** The bus subscription for live text (synchronous, so always set). */
  unsubscribeLive: () => void;
  incoming: StoredEvent[];
  draining: boolean;
  closed: boolean;
}

type Refusal = { code: number; reason: string };

/** Serves `/ws/projects/:id` on the HTTP server's upgrade event. */
export function attachWsHub(server: Server, deps: AppDeps): WsHub {
  const { env, logger } = deps;
  const db = deps.db.db;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  const allowedOrigins: ReadonlySet<string> = new Set(env.CORS_ORIGINS);
  const channels = new Map<string, Channel>();
  const served = new Map<WebSocket, Client>();
  /** Every upgraded socket, refused ones included, so `close()` reaches them all. */
  const sockets = new Set<WebSocket>();
  let closing = false;

  // ---------------------------------------------------------------------------------------- channels

  function joinChannel(projectId: string, client: Omit<Client, 'channel'>): Client {
    let channel = channels.get(projectId);
    if (!channel) {
      const created: Channel = {
        projectId,
        clients: new Set(),
        ready: Promise.resolve(),
        unsubscribe: null,
        unsubscribeLive: () => {},
        incoming: [],
        draining: false,
        closed: false,
      };
      created.ready = deps.bus
        .subscribe(projectId, (event) => receive(created, event))
        .then((unsubscribe) => {
          if (created.closed) unsubscribe();
          else created.unsubscribe = unsubscribe;
        });
      created.ready.catch(() => closeChannel(created));
      created.unsubscribeLive = deps.bus.subscribeLive(projectId, (text) =>
        sendLive(created, {
          type: 'agent_typing',
          turn: text.turn,
          text: text.text,
          done: text.done,
        }),
      );
      channels.set(projectId, created);
      channel = created;
    }
    const joined: Client = { ...client, channel };
    channel.clients.add(joined);
    return joined;
  }

  function closeChannel(channel: Channel): void {
    if (channel.closed) return;
    channel.closed = true;
    channel.incoming = [];
    channel.unsubscribe?.();
    channel.unsubscribeLive();
    if (channels.get(channel.projectId) === channel) channels.delete(channel.projectId);
  }

  /** The bus calls this synchronously per event; a microtask later the whole batch goes out together. */
  function receive(channel: Channel, event: StoredEvent): void {
    channel.incoming.push(event);
    if (!channel.draining) {
      channel.draining = true;
      queueMicrotask(() => void drain(channel));
    }
  }

  async function drain(channel: Channel): Promise<void> {
    try {
      while (channel.incoming.length > 0 && !channel.closed) {
        const batch = channel.incoming.splice(0);
        for (const event of batch) fanOut(channel, eventFrame(event));
        let derived: ServerMessage[] = [];
        try {
          derived = await deriveLiveMessages(db, channel.projectId, batch);
        } catch (error) {
          // The events went out; only their typed summaries are lost (clients can refetch).
          logger.warn({ err: error, projectId: channel.projectId }, 'websocket: typed messages failed');
        }
        for (const message of derived) {
          fanOut(channel, {
            seq: 'seq' in message ? message.seq : null,
            isEvent: false,
            data: encode(message),
          });
        }
      }
    } finally {
      channel.draining = false;
    }
  }

  function fanOut(channel: Channel, frame: Frame): void {
    for (const client of channel.clients) deliver(client, frame);
  }

  /**
   * Live text goes only to clients past their replay, and is skipped for one that is behind: it is
   * not in the log, and the next notice (or the turn's events) supersedes it anyway.
   */
  function sendLive(channel: Channel, message: ServerMessage): void {
    const data = encode(message);
    for (const client of channel.clients) {
      if (client.phase !== 'live' || client.ws.readyState !== WebSocket.OPEN) continue;
      if (client.ws.bufferedAmount > env.WS_MAX_BUFFERED_BYTES / 2) continue;
      client.ws.send(data, { binary: false });
    }
  }

  // ---------------------------------------------------------------------------------------- clients

  function deliver(client: Client, frame: Frame): void {
    if (client.phase === 'replay') {
      client.held.push(frame);
      client.heldBytes += frame.data.length;
      if (client.heldBytes + client.ws.bufferedAmount > env.WS_MAX_BUFFERED_BYTES) dropSlow(client);
      return;
    }
    if (client.phase !== 'live' || client.ws.readyState !== WebSocket.OPEN) return;
    if (frame.isEvent && frame.seq !== null) {
      if (frame.seq <= client.lastSeq) return;
      if (frame.seq !== client.lastSeq + 1) {
        // The bus promises contiguous delivery; should that ever break, a reconnect replays the gap.
        logger.error(
          { projectId: client.channel.projectId, expected: client.lastSeq + 1, got: frame.seq },
          'websocket: gap',
        );
        dropSlow(client, 'gap in the live stream');
        return;
      }
    }
    // Checked before sending: what is still queued from earlier frames is what this client is behind.
    if (client.ws.bufferedAmount > env.WS_MAX_BUFFERED_BYTES) {
      dropSlow(client);
      return;
    }
    client.ws.send(frame.data, { binary: false });
    if (frame.isEvent && frame.seq !== null) client.lastSeq = frame.seq;
  }

  function send(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(encode(message), { binary: false });
  }

  /** Leaves the channel and frees what the client held; the last client out unsubscribes from the bus. */
  function leave(client: Client): void {
    if (client.phase === 'gone') return;
    client.phase = 'gone';
    client.held = [];
    client.heldBytes = 0;
    const { channel } = client;
    channel.clients.delete(client);
    if (channel.clients.size === 0) closeChannel(channel);
  }

  function dropSlow(client: Client, reason = 'too far behind'): void {
    if (client.phase === 'gone') return;
    leave(client);
    logger.info(
      { projectId: client.channel.projectId, lastSeq: client.lastSeq, reason },
      'websocket: dropping client',
    );
    send(client.ws, { type: 'reconnect', lastSeq: client.lastSeq, reason });
    closeSocket(client.ws, WsCloseCode.slowConsumer, reason);
  }

  /** Starts the close handshake and cuts the socket off if the peer does not finish it in time. */
  function closeSocket(ws: WebSocket, code: number, reason: string): void {
    if (ws.readyState === WebSocket.CLOSED) return;
    if (ws.readyState !== WebSocket.CLOSING) ws.close(code, reason);
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  async function serve(
    ws: WebSocket,
    req: IncomingMessage,
    projectId: string,
    after: number,
    headSeq: number,
  ): Promise<void> {
    const client = joinChannel(projectId, {
      ws,
      req,
      phase: 'replay',
      held: [],
      heldBytes: 0,
      lastSeq: after,
      alive: true,
    });
    served.set(ws, client);
    ws.on('close', () => {
      served.delete(ws);
      leave(client);
    });
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('message', (data, isBinary) => onClientMessage(client, data, isBinary));
    send(ws, { type: 'hello', version: WS_PROTOCOL_VERSION, projectId, lastSeq: headSeq });

    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await client.channel.ready;
    let cursor = after;
    for (;;) {
      if (client.phase !== 'replay') return;
      const page = await readEvents(db, projectId, {
        afterSeq: cursor,
        limit: REPLAY_PAGE,
        includeSuperseded: true,
      });
      if (client.phase !== 'replay') return;
      let written: Promise<void> = Promise.resolve();
      page.forEach((event, index) => {
        const data = eventFrame(event).data;
        if (index < page.length - 1) ws.send(data, { binary: false });
        // The callback of a page's last frame fires once the socket took the whole page.
        else written = new Promise((resolve) => ws.send(data, { binary: false }, () => resolve()));
        client.lastSeq = event.seq;
      });
      cursor = client.lastSeq;
      if (page.length < REPLAY_PAGE) break;
      // Pace the replay by the socket, not by memory: wait while more than half the budget is queued.
      if (ws.bufferedAmount > env.WS_MAX_BUFFERED_BYTES / 2) await Promise.race([written, closed]);
    }
    send(ws, { type: 'replay_done', lastSeq: client.lastSeq });
    const held = client.held;
    client.held = [];
    client.heldBytes = 0;
    client.phase = 'live';
    for (const frame of held) deliver(client, frame);
  }

  function onClientMessage(client: Client, data: RawData, isBinary: boolean): void {
    client.alive = true;
    let parsed: ReturnType<typeof ClientMessage.safeParse> | null = null;
    if (!isBinary) {
      try {
        parsed = ClientMessage.safeParse(JSON.parse(data.toString()));
      } catch {
        parsed = null;
      }
    }
    if (!parsed?.success) {
      send(client.ws, {
        type: 'error',
        code: 'bad_message',
        message: 'Messages are JSON objects like {"type":"ping"}.',
      });
      return;
    }
    const message = parsed.data;
    if (message.type === 'ping') {
      send(client.ws, message.id === undefined ? { type: 'pong' } : { type: 'pong', id: message.id });
    }
  }

  // ---------------------------------------------------------------------------------------- upgrades

  /** Everything a connection must pass, in an order that leaks nothing to a foreign page. */
  async function admit(
    req: IncomingMessage,
    rawProjectId: string,
    url: URL,
  ): Promise<Refusal | { projectId: string; after: number; headSeq: number }> {
    if (!isLocalEnough(req, env.REQUIRE_LOCALHOST))
      return { code: WsCloseCode.forbidden, reason: 'only local connections are accepted' };
    if (!isAllowedOrigin(req, allowedOrigins))
      return { code: WsCloseCode.forbidden, reason: 'origin not allowed' };
    const user = await deps.auth.authenticate(req);
    if (!user) return { code: WsCloseCode.unauthenticated, reason: 'sign in to continue' };
    const after = parseAfter(url.searchParams.get('after'));
    if (after === null) return { code: WsCloseCode.badRequest, reason: 'after must be a whole number >= 0' };
    try {
      const project = await findOwnedProject(db, user, decodeURIComponent(rawProjectId));
      return { projectId: project.id, after, headSeq: project.lastSeq };
    } catch (error) {
      const notFound = (error instanceof AppError && error.code === 'not_found') || error instanceof URIError;
      if (notFound) return { code: WsCloseCode.notFound, reason: 'there is no such project' };
      throw error;
    }
  }

  async function accept(req: IncomingMessage, socket: Duplex, head: Buffer, rawProjectId: string, url: URL) {
    let admitted: Awaited<ReturnType<typeof admit>> | Refusal;
    try {
      admitted = await admit(req, rawProjectId, url);
    } catch (error) {
      logger.error({ err: error }, 'websocket: admission failed');
      admitted = { code: WsCloseCode.internalError, reason: 'server error' };
    }
    if (closing || socket.destroyed) {
      refuseUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', (error) => logger.debug({ err: error }, 'websocket: socket error'));
      if ('code' in admitted) {
        ws.close(admitted.code, admitted.reason);
        setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
        return;
      }
      const { projectId, after, headSeq } = admitted;
      serve(ws, req, projectId, after, headSeq).catch((error) => {
        logger.error({ err: error, projectId }, 'websocket: replay failed');
        const client = served.get(ws);
        if (client) leave(client);
        closeSocket(ws, WsCloseCode.internalError, 'server error');
      });
    });
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = PATH.exec(url.pathname);
    if (!match || closing) {
      refuseUpgrade(socket, closing ? 503 : 404, closing ? 'Service Unavailable' : 'Not Found');
      return;
    }
    // A peer that resets the connection while we check its session must not crash the process.
    socket.on('error', () => socket.destroy());
    void accept(req, socket, head, match[1] as string, url);
  }

  server.on('upgrade', onUpgrade);

  /** Ends a connection whose admission no longer holds; it may reconnect once it is admitted again. */
  function revoke(client: Client, code: number, reason: string): void {
    leave(client);
    closeSocket(client.ws, code, reason);
  }

  let rechecking: Promise<void> | null = null;

  /** One authentication per distinct cookie and one ownership check per project, however many sockets. */
  async function recheckAll(): Promise<void> {
    const byCookie = new Map<string, Client[]>();
    for (const client of served.values()) {
      if (client.phase === 'gone') continue;
      const cookie = client.req.headers.cookie ?? '';
      byCookie.set(cookie, [...(byCookie.get(cookie) ?? []), client]);
    }
    for (const group of byCookie.values()) {
      const user = await deps.auth.authenticate((group[0] as Client).req);
      if (!user) {
        for (const client of group) revoke(client, WsCloseCode.unauthenticated, 'the session ended');
        continue;
      }
      for (const projectId of new Set(group.map((client) => client.channel.projectId))) {
        try {
          await findOwnedProject(db, user, projectId);
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'not_found')) throw error;
          for (const client of group)
            if (client.channel.projectId === projectId)
              revoke(client, WsCloseCode.notFound, 'there is no such project');
        }
      }
    }
  }

  function recheckSessions(): Promise<void> {
    rechecking ??= recheckAll().finally(() => {
      rechecking = null;
    });
    return rechecking;
  }

  const rechecker = setInterval(() => {
    // A database hiccup keeps connections as they are; the next round tries again.
    recheckSessions().catch((error) => logger.warn({ err: error }, 'websocket: session re-check failed'));
  }, SESSION_RECHECK_MS);
  rechecker.unref();

  // -------------------------------------------------------------------------------------- liveness

  const pinger = setInterval(() => {
    for (const client of served.values()) {
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      if (client.ws.readyState === WebSocket.OPEN) client.ws.ping();
    }
  }, env.WS_PING_INTERVAL_MS);
  pinger.unref();

  return {
    clients() {
      let open = 0;
      for (const ws of served.keys()) if (ws.readyState === WebSocket.OPEN) open++;
      return open;
    },
    recheckSessions,
    async close() {
      if (closing) return;
      closing = true;
      server.off('upgrade', onUpgrade);
      clearInterval(pinger);
      clearInterval(rechecker);
      const closed = [...sockets].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            const client = served.get(ws);
            if (client) leave(client);
            closeSocket(ws, WsCloseCode.goingAway, 'server shutting down');
          }),
      );
      for (const channel of [...channels.values()]) closeChannel(channel);
      await Promise.all(closed);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** `?after=`: absent means 0; anything but a whole number ≥ 0 is refused. */
export function parseAfter(value: string | null): number | null {
  if (value === null || value === '') return 0;
  if (!/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/**
 * The cross-site WebSocket hijacking defence, the HTTP rule for state-changing requests applied to the
 * handshake: browsers send `Origin` on every WebSocket handshake and attach the session cookie whatever
 * page opens it, so the Origin must be the server's own or one of CORS_ORIGINS (`Origin: null`
 * included, refused). Without an Origin the caller is not a browser page (a CLI, a test) and cannot ride
 * on a victim's cookies. The server's own origin is read from `X-Forwarded-Proto`/`X-Forwarded-Host`
 * when a proxy set them, else from the connection and `Host`: a page cannot set those headers on a
 * handshake, so they cannot be used to pass a foreign page off as ours.
 */
export function isAllowedOrigin(req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const forwardedProto = firstValue(req.headers['x-forwarded-proto']);
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const scheme =
    forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : encrypted ? 'https' : 'http';
  const host = firstValue(req.headers['x-forwarded-host']) ?? req.headers.host;
  return isTrustedOrigin(origin, host ? `${scheme}://${host}` : undefined, allowed);
}

/**
 * REQUIRE_LOCALHOST for upgrades (Express never sees them): the peer must be this machine, and a local
 * proxy must not be relaying someone else — every `X-Forwarded-For` hop must be loopback too (stricter
 * than the HTTP check, which follows only the hops TRUST_PROXY trusts).
 */
export function isLocalEnough(req: IncomingMessage, requireLocalhost: boolean): boolean {
  if (!requireLocalhost) return true;
  const hops = (firstValue(req.headers['x-forwarded-for'], false) ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  return isLoopbackAddress(req.socket.remoteAddress) && hops.every((hop) => isLoopbackAddress(hop));
}

/** A header's value; with `first`, only the first of a comma-separated list (the client-side hop). */
function firstValue(header: string | string[] | undefined, first = true): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined) return undefined;
  return (first ? value.split(',')[0] : value)?.trim().toLowerCase() || undefined;
}

/** An HTTP answer instead of an upgrade, for requests that are not for the hub at all. */
function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
