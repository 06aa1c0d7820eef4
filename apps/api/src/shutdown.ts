import { closeDeps, type Deps } from './deps.ts';

/**
 * SIGTERM/SIGINT, handled once: `stopServing` (the process's listeners), then `closeDeps` — the runner
 * lets each current step finish for up to `timeoutMs` and hands the rest back through the log, PGlite
 * flushes and releases its data-directory lock — then exit (1 when closing fails).
 */
export function exitOnSignal(deps: Deps, timeoutMs: number, stopServing: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, 'shutting down');
    await stopServing();
    try {
      await closeDeps(deps, { graceMs: timeoutMs });
    } catch (error) {
      deps.logger.error({ err: error }, 'closing failed');
      process.exit(1);
    }
    deps.logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
