import type { WorkItemCard } from '@sitewright/contracts';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api.ts';
import { Dialog, ErrorNotice, Loading } from '../../../lib/ui.tsx';
import { findCard, laneTitle, plural, statusWords } from '../board-words.ts';
import { boardQueryOptions, cardQueryOptions } from '../queries.ts';
import { BugSteps } from './BugList.tsx';
import { CardActions } from './CardActions.tsx';
import { CardEvidenceView } from './CardEvidenceView.tsx';

/**
 * One card in full: what it is, its steps as a checklist, attempts and the last error, the evidence
 * (checks, screenshot, commit), what it waits for, and the owner's actions. It reads the live board,
 * so it changes as the agent works on the card; a card not on the board is fetched on its own.
 */
export function CardDetail({
  projectId,
  itemId,
  onClose,
}: {
  projectId: string;
  itemId: number | null;
  onClose: () => void;
}) {
  const board = useQuery(boardQueryOptions(projectId));
  const onBoard = itemId === null ? undefined : findCard(board.data, itemId);
  const fetched = useQuery({
    ...cardQueryOptions(projectId, itemId ?? 0),
    enabled: itemId !== null && !onBoard && !board.isPending,
  });
  const card = onBoard ?? fetched.data;

  return (
    <Dialog open={itemId !== null} title={card?.name ?? 'Card'} onClose={onClose} wide>
      {card ? (
        <>
          <CardFacts card={card} />
          <CardEvidenceView projectId={projectId} card={card} />
          <CardActions projectId={projectId} card={card} onDeleted={onClose} />
        </>
      ) : fetched.error instanceof ApiError && fetched.error.status === 404 ? (
        <p className="empty">This card is no longer on the board.</p>
      ) : fetched.error ? (
        <ErrorNotice error={fetched.error} onRetry={() => void fetched.refetch()} />
      ) : (
        <Loading label="Loading the card…" />
      )}
    </Dialog>
  );
}

function kindOf(card: WorkItemCard): string {
  if (card.itemType === 'bug') return 'Bug report';
  if (card.itemType === 'fix') return 'Fix';
  return 'Feature';
}

function CardFacts({ card }: { card: WorkItemCard }) {
  const isBug = card.itemType === 'bug';
  const verified = card.status === 'passing';
  return (
    <div className="card-detail">
      <p className="card-detail-status">
        <span className="chip">{kindOf(card)}</span>{' '}
        {isBug ? null : (
          <>
            <strong>{laneTitle(card.lane)}</strong> · {statusWords(card)} ·{' '}
          </>
        )}
        <span className="muted">
          #{card.id}
          {isBug ? '' : ` · priority ${card.priority}`}
          {card.category ? ` · ${card.category}` : ''}
        </span>
      </p>
      {isBug && card.bugStatus ? <BugSteps status={card.bugStatus} /> : null}
      {card.description ? <p className="card-detail-description">{card.description}</p> : null}
      {isBug && card.page ? (
        <p>
          <span className="card-detail-label">Page:</span> <code>{card.page}</code>
        </p>
      ) : null}
      {isBug && card.stepsToReproduce && card.stepsToReproduce.length > 0 ? (
        <div>
          <h3 className="card-detail-heading">Steps to see it</h3>
          <ol className="card-detail-list">
            {card.stepsToReproduce.map((step, index) => (
              <li key={index}>{step}</li>
            ))}
          </ol>
        </div>
      ) : null}
      {card.steps.length > 0 ? (
        <div>
          <h3 className="card-detail-heading">How it is checked</h3>
          <ul className="checklist">
            {card.steps.map((step, index) => (
              <li key={index} className={verified ? 'checklist-done' : undefined}>
                <span className="checklist-box" aria-hidden="true">
                  {verified ? '✓' : ''}
                </span>
                <span>
                  {step}
                  <span className="visually-hidden">{verified ? ' (verified)' : ' (not verified yet)'}</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {card.dependencies.length > 0 ? (
        <p>
          <span className="card-detail-label">Waits for:</span>{' '}
          {card.waitingFor.length > 0
            ? card.waitingFor.map((d) => `${d.name} (${d.status.replace('_', ' ')})`).join(', ')
            : `nothing any more — ${plural(card.dependencies.length, 'dependency', 'dependencies')} done`}
        </p>
      ) : null}
      {card.attempts > 0 ? (
        <p>
          <span className="card-detail-label">Attempts:</span> {card.attempts}
        </p>
      ) : null}
      {card.lastError ? (
        <div>
          <h3 className="card-detail-heading">Last error</h3>
          <pre className="card-detail-error">{card.lastError}</pre>
        </div>
      ) : null}
    </div>
  );
}
