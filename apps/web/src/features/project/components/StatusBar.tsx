import type { AgentAction, ProjectDetail } from '@sitewright/contracts';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from '../../../lib/router.tsx';
import { FormError, formatUsd } from '../../../lib/ui.tsx';
import { controlAgent } from '../queries.ts';
import type { ProjectStream } from '../stream.ts';
import { RunStatusBadge } from './RunStatusBadge.tsx';

/**
 * The project's header, always visible: name, what the agent is doing (and why it paused), progress,
 * spend against the cap, the live connection, and the controls that make sense right now.
 */
export function StatusBar({
  detail,
  connection,
}: {
  detail: ProjectDetail;
  connection: ProjectStream['connection'];
}) {
  const { project, progress, spend } = detail;
  const control = useMutation({ mutationFn: (action: AgentAction) => controlAgent(project.id, action) });
  const actions: Array<[AgentAction, string]> = [];
  if (project.status === 'running' || project.status === 'awaiting_human') actions.push(['pause', 'Pause']);
  if (project.status === 'paused') actions.push(['resume', 'Resume']);
  if (project.status === 'idle' || project.status === 'completed' || project.status === 'failed')
    actions.push(['start', 'Start']);
  if (project.status !== 'idle' && project.status !== 'completed') actions.push(['stop', 'Stop']);

  return (
    <div className="status-bar">
      <div className="status-bar-title">
        <p className="breadcrumb">
          <Link href="/">Projects</Link>
        </p>
        <h1>{project.name}</h1>
      </div>
      <div className="status-bar-facts">
        <RunStatusBadge status={project.status} pausedReason={project.pausedReason} />
        {project.status === 'paused' && project.pausedReason === 'rate_limited' && project.resumeAt ? (
          <Countdown until={project.resumeAt} />
        ) : null}
        <span className="fact-inline" data-testid="progress-text">
          {progress.passing}/{progress.total} done
        </span>
        <span className="fact-inline" title="Spent of the spending cap">
          {formatUsd(spend.spentUsd)} of {formatUsd(spend.capUsd)}
        </span>
        <span className={`connection connection-${connection}`} role="status">
          {connection === 'open' ? 'Live' : connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </span>
      </div>
      <div className="status-bar-actions">
        {actions.map(([action, label]) => (
          <button
            key={action}
            type="button"
            className={action === 'stop' ? 'button button-secondary' : 'button'}
            aria-disabled={control.isPending || undefined}
            onClick={() => !control.isPending && control.mutate(action)}
          >
            {label}
          </button>
        ))}
        <FormError error={control.error} />
      </div>
      <div
        className="progress status-progress"
        role="progressbar"
        aria-label="Site progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress.percent}
      >
        <span style={{ width: `${progress.percent}%` }} />
      </div>
    </div>
  );
}

/** "resumes in 0:42" until a rate-limit pause ends by itself. */
function Countdown({ until }: { until: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.round((new Date(until).getTime() - now) / 1000));
  return (
    <span className="fact-inline" data-testid="resume-countdown">
      {seconds > 0
        ? `resumes by itself in ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
        : 'resuming…'}
    </span>
  );
}
