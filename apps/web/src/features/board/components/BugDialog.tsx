import type { CreateBugRequest } from '@sitewright/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { FormField, focusFirstInvalid } from '../../../lib/form-field.tsx';
import { Dialog, FormError } from '../../../lib/ui.tsx';
import { linesOf } from '../board-words.ts';
import { placeCards, reportBug, useBoardMutation } from '../queries.ts';

type Errors = Partial<Record<'name' | 'description' | 'steps' | 'page', string>>;

/** "Report a bug": the agent reproduces it in a browser, fixes it, and checks again. */
export function BugDialog({
  projectId,
  open,
  onClose,
}: {
  projectId: string;
  open: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} title="Report a bug" onClose={onClose}>
      <BugForm projectId={projectId} onDone={onClose} />
    </Dialog>
  );
}

function BugForm({ projectId, onDone }: { projectId: string; onDone: () => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [steps, setSteps] = useState('');
  const [page, setPage] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const report = useBoardMutation(
    projectId,
    (input: CreateBugRequest) => reportBug(projectId, input),
    (b, r) => placeCards(b, r.items),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (report.isPending) return;
    const stepList = linesOf(steps);
    const found: Errors = {};
    if (!name.trim()) found.name = 'Say in a few words what is wrong.';
    else if (name.trim().length > 200) found.name = 'Keep the title under 200 characters.';
    if (description.trim().length > 10_000) found.description = 'Keep this under 10,000 characters.';
    if (stepList.length > 100) found.steps = 'At most 100 steps.';
    else if (stepList.some((step) => step.length > 2_000))
      found.steps = 'Keep each step under 2,000 characters.';
    if (page.trim().length > 500) found.page = 'Keep the page under 500 characters.';
    flushSync(() => setErrors(found));
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(formRef.current);
      return;
    }
    report.mutate(
      {
        name: name.trim(),
        description: description.trim(),
        stepsToReproduce: stepList,
        ...(page.trim() ? { page: page.trim() } : {}),
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form ref={formRef} className="form board-form" noValidate onSubmit={submit}>
      <FormField
        id="bug-name"
        label="Title"
        hint="e.g. “The phone number in the footer is wrong”"
        error={errors.name}
      >
        <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />
      </FormField>
      <FormField id="bug-description" label="What happened" error={errors.description}>
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} />
      </FormField>
      <FormField
        id="bug-steps"
        label="Steps to see it"
        hint="One step per line, e.g. “Open the About page”, “Look at the footer”."
        error={errors.steps}
      >
        <textarea value={steps} onChange={(e) => setSteps(e.target.value)} rows={3} />
      </FormField>
      <FormField
        id="bug-page"
        label="Which page (optional)"
        hint="Its address on the site, e.g. /about/"
        error={errors.page}
      >
        <input value={page} onChange={(e) => setPage(e.target.value)} autoComplete="off" />
      </FormField>
      <FormError error={report.error} />
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button" aria-disabled={report.isPending || undefined}>
          {report.isPending ? 'Reporting…' : 'Report bug'}
        </button>
      </div>
    </form>
  );
}
