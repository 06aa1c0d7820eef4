import type { ProjectEvent } from '@sitewright/contracts';
import { useState } from 'react';
import type { ProjectStream } from '../../project/stream.ts';
import { describeEvent } from '../event-words.ts';

const PAGE = 200;

const time = (iso: string) => new Date(iso).toLocaleTimeString();

/**
 * Every event of the project as this page received it, newest first and shown 200 at a time, with
 * the ones a rewind hid marked; then the plain-words activity lines sent alongside.
 */
export function TimelineView({ stream }: { stream: ProjectStream }) {
  const [shown, setShown] = useState(PAGE);
  const newest = stream.events.slice(-shown).reverse();
  const hidden = stream.events.length - newest.length;

  return (
    <>
      <h3 className="insights-subtitle">
        Events <span className="muted small">({stream.events.length})</span>
      </h3>
      {stream.events.length === 0 ? (
        <p className="empty small">{stream.live ? 'No events yet.' : 'Loading the events…'}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls; the keyboard must reach it.
        <ol className="plain-list timeline" aria-label="Events, newest first" tabIndex={0}>
          {newest.map((event) => (
            <TimelineRow key={event.seq} event={event} />
          ))}
        </ol>
      )}
      {hidden > 0 ? (
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => setShown(shown + PAGE)}
        >
          Show {Math.min(PAGE, hidden)} more ({hidden} older)
        </button>
      ) : null}
      <h3 className="insights-subtitle">Activity</h3>
      {stream.activity.length === 0 ? (
        <p className="empty small">Activity lines appear here while the agent works.</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls; the keyboard must reach it.
        <ol className="plain-list activity" aria-label="Activity, newest first" tabIndex={0}>
          {[...stream.activity].reverse().map((line, index) => (
            // Several lines can share a seq; their order in the feed is what tells them apart.
            <li
              key={`${line.seq}-${stream.activity.length - index}`}
              className={`activity-line activity-${line.level}`}
            >
              <span className="activity-level">{line.level}</span>
              <span>{line.message}</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function TimelineRow({ event }: { event: ProjectEvent }) {
  const { label, summary } = describeEvent(event);
  return (
    <li
      className={event.superseded ? 'timeline-row timeline-superseded' : 'timeline-row'}
      data-testid="timeline-event"
    >
      <time
        className="timeline-time"
        dateTime={event.createdAt}
        title={new Date(event.createdAt).toLocaleString()}
      >
        {time(event.createdAt)}
      </time>
      <span className="timeline-label">{label}</span>
      {event.superseded ? <span className="tag">rewound</span> : null}
      {summary ? (
        <span className="timeline-summary" title={summary}>
          {summary}
        </span>
      ) : null}
    </li>
  );
}
