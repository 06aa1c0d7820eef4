import type { Board } from '@sitewright/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { BugIcon, ErrorNotice, Loading } from '../../../lib/ui.tsx';
import { plural } from '../board-words.ts';
import { boardQueryOptions } from '../queries.ts';
import { useBoardUi } from '../store.ts';
import '../board.css';
import { BoardLanes } from './BoardLanes.tsx';
import { BugDialog } from './BugDialog.tsx';
import { BugList } from './BugList.tsx';
import { CardDetail } from './CardDetail.tsx';
import { FeatureDialog } from './FeatureDialog.tsx';
import { MoveAnnouncer } from './MoveAnnouncer.tsx';

/**
 * The live kanban: bugs on top with their fixes, then the lanes, the progress bar, and the owner's
 * controls (add a feature, report a bug, open a card). Cards move as the agent works — the WebSocket
 * bridge patches the same cached board this panel reads.
 */
export function BoardPanel({ projectId }: { projectId: string }) {
  const board = useQuery(boardQueryOptions(projectId));
  const { dialog, open, close } = useBoardUi();
  const mine = dialog?.projectId === projectId ? dialog : null;
  // Leaving the page closes its dialog; coming back should not reopen it.
  useEffect(() => close, [close]);

  return (
    <div className="board">
      <div className="board-header">
        <h2 className="board-title">Board</h2>
        <div className="board-actions">
          <button
            type="button"
            className="button button-small"
            onClick={() => open({ kind: 'feature', projectId })}
          >
            + Feature
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={() => open({ kind: 'bug', projectId })}
          >
            <BugIcon /> Report a bug
          </button>
        </div>
      </div>

      {board.isPending ? (
        <Loading label="Loading the board…" />
      ) : board.error ? (
        <ErrorNotice
          title="The board could not be loaded"
          error={board.error}
          onRetry={() => void board.refetch()}
        />
      ) : (
        <BoardBody projectId={projectId} board={board.data} />
      )}

      <FeatureDialog
        projectId={projectId}
        board={board.data}
        open={mine?.kind === 'feature'}
        onClose={close}
      />
      <BugDialog projectId={projectId} open={mine?.kind === 'bug'} onClose={close} />
      <CardDetail projectId={projectId} itemId={mine?.kind === 'card' ? mine.itemId : null} onClose={close} />
    </div>
  );
}

function BoardBody({ projectId, board }: { projectId: string; board: Board }) {
  const { progress } = board;
  const empty = progress.total === 0 && board.bugs.length === 0;
  return (
    <>
      <MoveAnnouncer board={board} />
      <div className="board-progress">
        <p className="board-progress-text" data-testid="board-progress">
          {progress.total === 0
            ? 'No features yet'
            : `${progress.passing} of ${plural(progress.total, 'feature')} done`}
          {progress.bugs.total > 0 ? (
            <span className="muted">
              {' '}
              · {plural(progress.bugs.total - progress.bugs.resolved, 'open bug')}
            </span>
          ) : null}
        </p>
        <div
          className="progress"
          role="progressbar"
          aria-label="Features done"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress.percent}
          aria-valuetext={`${progress.passing} of ${progress.total} done`}
        >
          <span style={{ width: `${progress.percent}%` }} />
        </div>
      </div>
      {empty ? (
        <p className="empty board-empty">
          The plan appears here once you approve the mockup. You can also add a feature yourself.
        </p>
      ) : (
        <>
          <BugList projectId={projectId} bugs={board.bugs} />
          <BoardLanes projectId={projectId} board={board} />
        </>
      )}
    </>
  );
}
