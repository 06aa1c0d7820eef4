import type { WorkItemCard } from '@sitewright/contracts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { FormError } from '../../../lib/ui.tsx';
import { placeCard } from '../../../lib/ws-bridge.ts';
import { deleteCard, reprioritiseCard, skipCard, useBoardMutation } from '../queries.ts';

/** Skip, reprioritise and delete, each saying what it did or why it could not. */
export function CardActions({
  projectId,
  card,
  onDeleted,
}: {
  projectId: string;
  card: WorkItemCard;
  onDeleted: () => void;
}) {
  const [note, setNote] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [priority, setPriority] = useState(String(card.priority));
  const [priorityError, setPriorityError] = useState<string | null>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  // Keyboard focus follows the confirmation: onto "Keep it" when it appears, back to "Delete…" after.
  useEffect(() => {
    if (confirming) {
      asked.current = true;
      keepRef.current?.focus();
    } else if (asked.current) {
      deleteRef.current?.focus();
    }
  }, [confirming]);
  const place = (board: Parameters<typeof placeCard>[0], updated: WorkItemCard) =>
    placeCard(board, updated.id, updated);
  const skip = useBoardMutation(projectId, () => skipCard(projectId, card.id), place);
  const rank = useBoardMutation(
    projectId,
    (value: number) => reprioritiseCard(projectId, card.id, value),
    place,
  );
  const remove = useBoardMutation(
    projectId,
    () => deleteCard(projectId, card.id),
    (board) => placeCard(board, card.id, null),
  );
  const busy = skip.isPending || rank.isPending || remove.isPending;
  const error = skip.error ?? rank.error ?? remove.error;
  const canSkip =
    card.status !== 'passing' &&
    !(card.itemType === 'bug' && (card.bugStatus === 'fixing' || card.bugStatus === 'resolved'));

  function reset() {
    setNote(null);
    for (const mutation of [skip, rank, remove]) mutation.reset();
  }

  function changePriority(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    reset();
    const value = Number(priority);
    if (priority.trim() === '' || !Number.isInteger(value) || value < 0 || value > 10_000) {
      setPriorityError('A whole number from 0 (first) to 10000.');
      return;
    }
    setPriorityError(null);
    rank.mutate(value, { onSuccess: (updated) => setNote(`Priority is now ${updated.priority}.`) });
  }

  return (
    <div className="card-actions">
      <h3 className="visually-hidden">Actions</h3>
      {card.itemType === 'bug' ? null : (
        <form className="card-priority" noValidate onSubmit={changePriority}>
          <div className="field">
            <label className="field-label" htmlFor="card-priority">
              Priority
            </label>
            <span className="field-hint" id="card-priority-hint">
              0 goes first; new features get 100
            </span>
            <input
              id="card-priority"
              inputMode="numeric"
              value={priority}
              onChange={(e) => setPriority(e.target.value)}
              aria-invalid={priorityError ? true : undefined}
              aria-describedby={
                priorityError ? 'card-priority-hint card-priority-error' : 'card-priority-hint'
              }
            />
            {priorityError ? (
              <span className="field-error" id="card-priority-error">
                {priorityError}
              </span>
            ) : null}
          </div>
          <button
            type="submit"
            className="button button-secondary button-small"
            aria-disabled={busy || undefined}
          >
            Change priority
          </button>
        </form>
      )}

      <div className="card-actions-row">
        {canSkip ? (
          <button
            type="button"
            className="button button-secondary button-small"
            aria-disabled={busy || undefined}
            onClick={() => {
              if (busy) return;
              reset();
              skip.mutate(undefined, { onSuccess: () => setNote('Moved to the end of the queue.') });
            }}
            aria-describedby="card-skip-hint"
          >
            Skip for now
          </button>
        ) : null}
        {canSkip ? (
          <span className="field-hint" id="card-skip-hint">
            Moves it to the end of the queue
          </span>
        ) : null}
        {confirming ? null : (
          <button
            ref={deleteRef}
            type="button"
            className="button button-danger-quiet button-small card-delete"
            onClick={() => {
              reset();
              setConfirming(true);
            }}
          >
            Delete…
          </button>
        )}
      </div>

      {confirming ? (
        <div className="card-confirm">
          <p id="card-confirm-text">
            Delete “{card.name}” from the board? Anything waiting for it stops waiting. This cannot be undone.
          </p>
          <div className="card-actions-row">
            <button
              type="button"
              className="button button-danger button-small"
              aria-disabled={busy || undefined}
              onClick={() => !busy && remove.mutate(undefined, { onSuccess: onDeleted })}
            >
              {remove.isPending ? 'Deleting…' : 'Delete card'}
            </button>
            <button
              ref={keepRef}
              type="button"
              className="button button-secondary button-small"
              onClick={() => setConfirming(false)}
            >
              Keep it
            </button>
          </div>
        </div>
      ) : null}

      <p className="card-note" role="status">
        {note}
      </p>
      <FormError error={error} />
    </div>
  );
}
