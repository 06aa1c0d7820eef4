import { useQuery } from '@tanstack/react-query';
import { Link } from '../../../lib/router.tsx';
import { ErrorNotice, Loading } from '../../../lib/ui.tsx';
import { BoardPanel } from '../../board/components/BoardPanel.tsx';
import { ChatPanel } from '../../chat/components/ChatPanel.tsx';
import { InsightsPanel } from '../../observability/components/InsightsPanel.tsx';
import { PreviewPanel } from '../../preview/components/PreviewPanel.tsx';
import { projectDetailQueryOptions } from '../../projects/queries.ts';
import { type ProjectTab, useProjectUi } from '../store.ts';
import { useProjectStream } from '../use-project-stream.ts';
import { StatusBar } from './StatusBar.tsx';

const tabs: Array<[ProjectTab, string]> = [
  ['chat', 'Chat'],
  ['board', 'Board'],
  ['site', 'Site'],
];

/**
 * One project: the status bar on top, then chat · board · site side by side (tabs on a phone). Live
 * through the project's WebSocket; every panel reads the same query cache.
 */
export function ProjectPage({ projectId }: { projectId: string }) {
  const detail = useQuery(projectDetailQueryOptions(projectId));
  const { stream, gone } = useProjectStream(projectId);
  const { tab, setTab } = useProjectUi();

  if (gone || (detail.error && 'status' in detail.error && detail.error.status === 404)) {
    return (
      <div className="container page-heading">
        <h1>Project not found</h1>
        <p>
          It may have been deleted, or it belongs to someone else. <Link href="/">Back to your projects</Link>
          .
        </p>
      </div>
    );
  }
  if (detail.isPending) {
    return (
      <div className="container">
        <Loading label="Opening the project…" />
      </div>
    );
  }
  if (detail.error) {
    return (
      <div className="container">
        <ErrorNotice error={detail.error} onRetry={() => void detail.refetch()} />
      </div>
    );
  }

  return (
    <div className="project-page" data-tab={tab}>
      <StatusBar detail={detail.data} connection={stream.connection} />
      <div className="project-tabs" role="tablist" aria-label="Project sections">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`region-${id}`}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="project-regions">
        <section id="region-chat" className="region region-chat" aria-label="Chat">
          <ChatPanel projectId={projectId} detail={detail.data} stream={stream} />
        </section>
        <section id="region-board" className="region region-board" aria-label="Board">
          <BoardPanel projectId={projectId} />
        </section>
        <section id="region-site" className="region region-site" aria-label="Site">
          <PreviewPanel projectId={projectId} detail={detail.data} stream={stream} />
          <InsightsPanel projectId={projectId} detail={detail.data} stream={stream} />
        </section>
      </div>
    </div>
  );
}
