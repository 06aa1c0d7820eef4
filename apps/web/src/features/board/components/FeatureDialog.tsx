import type { Board, CreateFeatureRequest } from '@sitewright/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { FormField, focusFirstInvalid } from '../../../lib/form-field.tsx';
import { Dialog, FormError } from '../../../lib/ui.tsx';
import { allCards, linesOf } from '../board-words.ts';
import { addFeature, placeCards, useBoardMutation } from '../queries.ts';

type Errors = Partial<Record<'name' | 'description' | 'steps' | 'category' | 'priority', string>>;

/** "+ Feature": a feature the owner asks for, with how to check it and what it waits for. */
export function FeatureDialog({
  projectId,
  board,
  open,
  onClose,
}: {
  projectId: string;
  board: Board | undefined;
  open: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} title="Add a feature" onClose={onClose}>
      <FeatureForm projectId={projectId} board={board} onDone={onClose} />
    </Dialog>
  );
}

function FeatureForm({
  projectId,
  board,
  onDone,
}: {
  projectId: string;
  board: Board | undefined;
  onDone: () => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [steps, setSteps] = useState('');
  const [category, setCategory] = useState('');
  const [priority, setPriority] = useState('');
  const [dependencies, setDependencies] = useState<number[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const create = useBoardMutation(
    projectId,
    (input: CreateFeatureRequest) => addFeature(projectId, input),
    (b, r) => placeCards(b, r.items),
  );
  // Features and fixes not done yet are what a new feature may wait for.
  const candidates = board
    ? allCards(board).filter((card) => card.itemType !== 'bug' && card.status !== 'passing')
    : [];

  function submit(event: FormEvent) {
    event.preventDefault();
    if (create.isPending) return;
    const stepList = linesOf(steps);
    const found: Errors = {};
    if (!name.trim()) found.name = 'Give the feature a name.';
    else if (name.trim().length > 200) found.name = 'Keep the name under 200 characters.';
    if (description.trim().length > 10_000)
      found.description = 'Keep the description under 10,000 characters.';
    if (stepList.length > 200) found.steps = 'At most 200 steps.';
    else if (stepList.some((step) => step.length > 2_000))
      found.steps = 'Keep each step under 2,000 characters.';
    if (category.trim().length > 100) found.category = 'Keep the category under 100 characters.';
    const rank = priority.trim() === '' ? undefined : Number(priority);
    if (rank !== undefined && (!Number.isInteger(rank) || rank < 0 || rank > 10_000)) {
      found.priority = 'A whole number from 0 to 10000.';
    }
    flushSync(() => setErrors(found));
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(formRef.current);
      return;
    }
    create.mutate(
      {
        name: name.trim(),
        description: description.trim(),
        steps: stepList,
        ...(category.trim() ? { category: category.trim() } : {}),
        ...(rank !== undefined ? { priority: rank } : {}),
        // A card deleted while the dialog was open is no longer offered, nor sent.
        dependencies: dependencies.filter((id) => candidates.some((card) => card.id === id)),
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form ref={formRef} className="form board-form" noValidate onSubmit={submit}>
      <FormField id="feature-name" label="Name" error={errors.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />
      </FormField>
      <FormField id="feature-description" label="What it should do" error={errors.description}>
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} />
      </FormField>
      <FormField
        id="feature-steps"
        label="How to check it is done"
        hint="One step per line, e.g. “Open /menu/ and see the lunch dishes”."
        error={errors.steps}
      >
        <textarea value={steps} onChange={(e) => setSteps(e.target.value)} rows={4} />
      </FormField>
      <div className="board-form-row">
        <FormField
          id="feature-category"
          label="Category (optional)"
          hint="e.g. page, section, SEO"
          error={errors.category}
        >
          <input value={category} onChange={(e) => setCategory(e.target.value)} autoComplete="off" />
        </FormField>
        <FormField
          id="feature-priority"
          label="Priority (optional)"
          hint="0 goes first; 100 if empty"
          error={errors.priority}
        >
          <input value={priority} onChange={(e) => setPriority(e.target.value)} inputMode="numeric" />
        </FormField>
      </div>
      {candidates.length > 0 ? (
        <fieldset className="board-depends">
          <legend className="field-label">Waits for (optional)</legend>
          <div className="board-depends-list">
            {candidates.map((card) => (
              <label key={card.id} className="board-check">
                <input
                  type="checkbox"
                  checked={dependencies.includes(card.id)}
                  onChange={(e) =>
                    setDependencies((ids) =>
                      e.target.checked ? [...ids, card.id] : ids.filter((id) => id !== card.id),
                    )
                  }
                />
                {card.name}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <FormError error={create.error} />
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button" aria-disabled={create.isPending || undefined}>
          {create.isPending ? 'Adding…' : 'Add feature'}
        </button>
      </div>
    </form>
  );
}
