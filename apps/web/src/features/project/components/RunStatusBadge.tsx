import type { PausedReason, RunStatus } from '@sitewright/contracts';

const statusLabels: Record<RunStatus, string> = {
  running: 'Working',
  awaiting_human: 'Waiting for you',
  paused: 'Paused',
  idle: 'Stopped',
  completed: 'Done',
  failed: 'Failed',
};

export const pauseReasons: Record<PausedReason, string> = {
  user: 'you paused it',
  turn_cap: 'checking in with you',
  spend_cap: 'spending limit reached',
  loop: 'it was going in circles',
  rate_limited: 'the model asked us to wait',
  failures: 'too many errors in a row',
  error: 'an error stopped it',
};

/** The run status in plain words, with the pause reason when paused. */
export function RunStatusBadge({
  status,
  pausedReason,
}: {
  status: RunStatus;
  pausedReason: PausedReason | null;
}) {
  return (
    <span className={`badge run-${status}`} data-testid="run-status" data-status={status}>
      <span className="status-dot" aria-hidden="true" />
      {statusLabels[status]}
      {status === 'paused' && pausedReason ? ` — ${pauseReasons[pausedReason]}` : ''}
    </span>
  );
}
