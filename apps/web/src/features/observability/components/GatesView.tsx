import type { Gate, ProjectDetail } from '@sitewright/contracts';
import { useQuery } from '@tanstack/react-query';
import { ErrorNotice, timeAgo } from '../../../lib/ui.tsx';
import type { ProjectStream } from '../../project/stream.ts';
import { newestSeqOf } from '../event-words.ts';
import { gatesQueryOptions } from '../queries.ts';
import { useLiveChange } from '../use-live-change.ts';

const GATE_EVENTS = new Set(['gate_evaluated']);

const statusWords: Record<Gate['status'], string> = {
  passed: 'Passed',
  failed: 'Not passed',
  pending: 'Not evaluated yet',
};

/** `business_brief_confirmed` → "Business brief confirmed". */
function gateTitle(name: string): string {
  const spaced = name.replaceAll('_', ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The checks a run must pass before it moves on, each with its criteria's last results. */
export function GatesView({
  projectId,
  detail,
  stream,
}: {
  projectId: string;
  detail: ProjectDetail;
  stream: ProjectStream;
}) {
  const gates = useQuery({ ...gatesQueryOptions(projectId), placeholderData: detail.gates });
  useLiveChange(newestSeqOf(stream.events, GATE_EVENTS), stream.live, gates.refetch);

  if (gates.error) return <ErrorNotice error={gates.error} onRetry={() => void gates.refetch()} />;
  const list = gates.data ?? [];
  if (list.length === 0) return <p className="empty">No gates in this project yet.</p>;
  return (
    <ul className="plain-list gate-list">
      {list.map((gate) => (
        <li key={gate.name} className="gate" data-testid="gate" data-status={gate.status}>
          <div className="gate-header">
            <h3 className="gate-name">{gateTitle(gate.name)}</h3>
            <span className={`badge gate-status gate-${gate.status}`}>{statusWords[gate.status]}</span>
          </div>
          {gate.evaluatedAt ? (
            <p className="small muted">
              Checked{' '}
              <time dateTime={gate.evaluatedAt} title={new Date(gate.evaluatedAt).toLocaleString()}>
                {timeAgo(gate.evaluatedAt)}
              </time>
            </p>
          ) : null}
          {gate.criteria.length > 0 ? (
            <ul className="plain-list criteria">
              {gate.criteria.map((criterion) => (
                <li
                  key={criterion.name}
                  className={criterion.passed ? 'criterion criterion-passed' : 'criterion criterion-failed'}
                >
                  <span className="criterion-mark" aria-hidden="true">
                    {criterion.passed ? '✓' : '✗'}
                  </span>
                  <span>
                    <span className="visually-hidden">{criterion.passed ? 'Passed: ' : 'Failed: '}</span>
                    {criterion.name}
                    {criterion.detail ? (
                      <span className="criterion-detail"> — {criterion.detail}</span>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
