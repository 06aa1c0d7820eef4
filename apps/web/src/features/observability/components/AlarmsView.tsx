import type { Alarm, AlarmSeverity, ProjectDetail } from '@sitewright/contracts';
import { useQuery } from '@tanstack/react-query';
import { ErrorNotice, timeAgo } from '../../../lib/ui.tsx';
import { alarmsQueryOptions } from '../queries.ts';

const severities: Array<[AlarmSeverity, string]> = [
  ['critical', 'Critical'],
  ['error', 'Errors'],
  ['warning', 'Warnings'],
];

/**
 * Alarms, the open ones first grouped by severity, each with what to do about it; resolved ones are
 * folded away. The WebSocket bridge refetches the list whenever an alarm is raised or resolved.
 */
export function AlarmsView({ projectId, detail }: { projectId: string; detail: ProjectDetail }) {
  const alarms = useQuery({ ...alarmsQueryOptions(projectId), placeholderData: detail.alarms });
  if (alarms.error) return <ErrorNotice error={alarms.error} onRetry={() => void alarms.refetch()} />;
  const list = alarms.data ?? [];
  const open = list.filter((alarm) => alarm.status === 'open');
  const resolved = list.filter((alarm) => alarm.status === 'resolved');

  return (
    <>
      {open.length === 0 ? (
        <p className="empty">No open alarms: nothing needs attention.</p>
      ) : (
        severities.map(([severity, title]) => {
          const group = open.filter((alarm) => alarm.severity === severity);
          return group.length === 0 ? null : (
            <section key={severity} className="alarm-group" aria-labelledby={`alarms-${severity}`}>
              <h3 id={`alarms-${severity}`} className="insights-subtitle">
                {title} ({group.length})
              </h3>
              <AlarmList alarms={group} />
            </section>
          );
        })
      )}
      {resolved.length > 0 ? (
        <details className="alarms-resolved">
          <summary>Resolved ({resolved.length})</summary>
          <AlarmList alarms={resolved} />
        </details>
      ) : null}
    </>
  );
}

function AlarmList({ alarms }: { alarms: Alarm[] }) {
  return (
    <ul className="plain-list alarm-list">
      {alarms.map((alarm) => (
        <li
          key={alarm.id}
          className={`alarm alarm-${alarm.severity} alarm-${alarm.status}`}
          data-testid="alarm"
          data-severity={alarm.severity}
        >
          <p className="alarm-message">
            <span className={`alarm-severity alarm-severity-${alarm.severity}`}>{alarm.severity}</span>{' '}
            {alarm.message}
          </p>
          <p className="alarm-action">
            <span className="alarm-action-label">What to do: </span>
            {alarm.recommendedAction}
          </p>
          <p className="small muted">
            Raised{' '}
            <time dateTime={alarm.createdAt} title={new Date(alarm.createdAt).toLocaleString()}>
              {timeAgo(alarm.createdAt)}
            </time>
            {alarm.resolvedAt ? (
              <>
                {' · resolved '}
                <time dateTime={alarm.resolvedAt} title={new Date(alarm.resolvedAt).toLocaleString()}>
                  {timeAgo(alarm.resolvedAt)}
                </time>
              </>
            ) : null}
          </p>
        </li>
      ))}
    </ul>
  );
}
