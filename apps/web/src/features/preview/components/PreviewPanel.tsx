import type { ProjectDetail } from '@sitewright/contracts';
import { useQuery } from '@tanstack/react-query';
import { ErrorNotice, Loading } from '../../../lib/ui.tsx';
import { useLiveChange } from '../../observability/use-live-change.ts';
import type { ProjectStream } from '../../project/stream.ts';
import { commitsQueryOptions, sitePaths, snapshotsQueryOptions } from '../queries.ts';
import { siteVersionOf } from '../site-version.ts';
import { CommitHistory } from './CommitHistory.tsx';
import { PreviewFrame } from './PreviewFrame.tsx';
import { SnapshotList } from './SnapshotList.tsx';
import '../preview.css';

/**
 * The site as built so far: a live preview at desktop, tablet and phone widths that reloads after
 * every commit, the ZIP download, the history of versions, and snapshots with rollback.
 */
export function PreviewPanel({
  projectId,
  stream,
}: {
  projectId: string;
  detail: ProjectDetail;
  stream: ProjectStream;
}) {
  const commits = useQuery(commitsQueryOptions(projectId));
  const snapshots = useQuery(snapshotsQueryOptions(projectId));
  const version = siteVersionOf(stream.events);
  useLiveChange(version.changedAt, stream.live, commits.refetch);
  // Once the log is replayed it decides (a rewind before the first commit empties the site but keeps
  // the commits in git); until then the history stands in for it.
  const built = stream.live ? version.built : version.built || (commits.data?.length ?? 0) > 0;

  return (
    <>
      <section className="card site-card" aria-labelledby="site-preview-title">
        <div className="card-header">
          <div>
            <h2 id="site-preview-title" className="card-title">
              Preview
            </h2>
            <p className="card-subtitle">Reloads by itself after every change the agent makes.</p>
          </div>
          {built ? (
            <a className="button button-secondary button-small" href={sitePaths.zip(projectId)} download>
              Download ZIP
            </a>
          ) : null}
        </div>
        {built ? (
          <PreviewFrame projectId={projectId} changedAt={version.changedAt} live={stream.live} />
        ) : commits.isPending ? (
          <Loading label="Looking for the site…" />
        ) : (
          <p className="empty">The preview appears once the first page is built.</p>
        )}
      </section>
      <section className="card site-card" aria-labelledby="site-versions-title">
        <h2 id="site-versions-title" className="card-title">
          Versions
        </h2>
        <h3 className="site-subtitle">Snapshots</h3>
        {snapshots.isPending ? (
          <Loading label="Loading snapshots…" />
        ) : snapshots.error ? (
          <ErrorNotice error={snapshots.error} onRetry={() => void snapshots.refetch()} />
        ) : (
          <SnapshotList projectId={projectId} snapshots={snapshots.data} />
        )}
        <h3 className="site-subtitle">History</h3>
        {commits.isPending ? (
          <Loading label="Loading the history…" />
        ) : commits.error ? (
          <ErrorNotice error={commits.error} onRetry={() => void commits.refetch()} />
        ) : (
          <CommitHistory commits={commits.data} />
        )}
      </section>
    </>
  );
}
