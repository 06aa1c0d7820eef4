import type { Commit } from '@sitewright/contracts';
import { useState } from 'react';
import { timeAgo } from '../../../lib/ui.tsx';

const SHOWN_AT_FIRST = 8;

/** Every version of the site the agent committed, newest first. */
export function CommitHistory({ commits }: { commits: Commit[] }) {
  const [all, setAll] = useState(false);
  if (commits.length === 0) {
    return <p className="empty small">No versions yet: the agent commits the site after every change.</p>;
  }
  const shown = all ? commits : commits.slice(0, SHOWN_AT_FIRST);
  return (
    <>
      <ol className="plain-list site-history" aria-label="Versions of the site, newest first">
        {shown.map((commit) => (
          <li key={commit.sha} className="site-history-row">
            <span className="site-history-message">{commit.message}</span>
            <span className="site-history-meta small muted">
              <time dateTime={commit.createdAt} title={new Date(commit.createdAt).toLocaleString()}>
                {timeAgo(commit.createdAt)}
              </time>
              {' · '}
              <code title={commit.sha}>{commit.sha.slice(0, 7)}</code>
            </span>
          </li>
        ))}
      </ol>
      {commits.length > SHOWN_AT_FIRST ? (
        <button type="button" className="link-button small" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${commits.length} versions`}
        </button>
      ) : null}
    </>
  );
}
