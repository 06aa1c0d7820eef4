import type { Board, WorkItemCard } from '@sitewright/contracts';
import { LANES, plural, snippet, statusWords } from '../board-words.ts';
import { useBoardUi } from '../store.ts';

/** The six lanes in the order work flows through them, each with its count. */
export function BoardLanes({ projectId, board }: { projectId: string; board: Board }) {
  return (
    <div className="lanes">
      {LANES.map(({ lane, title, hint }) => {
        const cards = board.lanes[lane] ?? [];
        const titleId = `lane-${lane}-title`;
        return (
          <section key={lane} className={`lane lane-${lane}`} aria-labelledby={titleId} data-lane={lane}>
            <h3 className="lane-title" id={titleId}>
              {title} <span className="lane-count">{cards.length}</span>
            </h3>
            {cards.length === 0 ? (
              <p className="lane-empty">{hint}</p>
            ) : (
              <ol className="lane-cards">
                {cards.map((card) => (
                  <li key={card.id}>
                    <CardTile projectId={projectId} card={card} />
                  </li>
                ))}
              </ol>
            )}
          </section>
        );
      })}
    </div>
  );
}

/** A compact card; Enter or a click opens its detail. */
function CardTile({ projectId, card }: { projectId: string; card: WorkItemCard }) {
  const open = useBoardUi((state) => state.open);
  const failing = card.status === 'failing' && card.lastError;
  return (
    <button
      type="button"
      className={`card-tile card-${card.status}${isFresh(card) ? ' card-fresh' : ''}`}
      data-card-id={card.id}
      onClick={() => open({ kind: 'card', projectId, itemId: card.id })}
    >
      <span className="card-name">{card.name}</span>
      <span className="card-meta">
        {card.itemType === 'fix' ? <span className="chip chip-fix">Fix</span> : null}
        {card.category ? <span className="chip">{card.category}</span> : null}
        {card.status === 'skipped' ? <span className="chip">set aside</span> : null}
        {card.attempts > 0 ? <span className="card-attempts">{plural(card.attempts, 'attempt')}</span> : null}
      </span>
      {card.waitingFor.length > 0 ? (
        <span className="card-waiting">Waiting for {card.waitingFor.map((d) => d.name).join(', ')}</span>
      ) : null}
      {failing ? <span className="card-error">{snippet(card.lastError ?? '')}</span> : null}
      <span className="visually-hidden">, {statusWords(card)}</span>
    </button>
  );
}

/** Changed in the last few seconds: the card arrived where it is now while the owner watched. */
function isFresh(card: WorkItemCard): boolean {
  return Date.now() - new Date(card.updatedAt).getTime() < 6_000;
}
