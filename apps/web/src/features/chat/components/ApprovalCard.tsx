import type { Pending, ProjectEvent } from '@sitewright/contracts';
import { useId, useRef, useState } from 'react';
import { z } from 'zod';
import { approvalTitle } from '../chat-words.ts';
import { latestMockup } from '../project-chat.ts';
import { BriefCard } from './BriefCard.tsx';
import { CardShell, useAnswer } from './CardShell.tsx';
import { MockupPreview } from './MockupPreview.tsx';

const MockupDetails = z.object({
  pages: z.array(z.string()).catch([]),
  wireframe: z.string().nullish().catch(null),
});

/** What an approval is about, shown in a form the owner can judge — never as raw data. */
function ApprovalSubject({ pending, events }: { pending: Pending; events: readonly ProjectEvent[] }) {
  if (pending.subject === 'brief') return <BriefCard brief={pending.details} />;
  if (pending.subject === 'mockup') {
    const details = MockupDetails.safeParse(pending.details ?? {});
    const rendered = latestMockup(events, pending.askedSeq);
    return (
      <MockupPreview
        html={rendered?.html ?? null}
        wireframe={(details.success ? details.data.wireframe : null) ?? rendered?.wireframe ?? null}
        pages={details.success ? details.data.pages : []}
      />
    );
  }
  return <p>The agent would like your go-ahead before it continues.</p>;
}

/** Approve, or request changes with notes saying what should change (required). */
export function ApprovalCard({
  projectId,
  pending,
  events,
  focusOnMount,
}: {
  projectId: string;
  pending: Pending;
  events: readonly ProjectEvent[];
  focusOnMount: boolean;
}) {
  const id = useId();
  const answer = useAnswer(projectId);
  const [changing, setChanging] = useState(false);
  const [notes, setNotes] = useState('');
  const [notesError, setNotesError] = useState<string | null>(null);
  const notesBox = useRef<HTMLTextAreaElement>(null);

  const requestChanges = () => {
    if (answer.busy) return;
    if (!notes.trim()) {
      setNotesError('Say what should change, so the agent knows what to do.');
      notesBox.current?.focus();
      return;
    }
    answer.mutate({ pendingId: pending.id, approved: false, notes: notes.trim() });
  };

  return (
    <CardShell
      kind="approval"
      title={approvalTitle(pending.subject)}
      focusOnMount={focusOnMount}
      error={answer.error}
    >
      <ApprovalSubject pending={pending} events={events} />
      {changing ? (
        <form
          className="approval-changes"
          onSubmit={(event) => {
            event.preventDefault();
            requestChanges();
          }}
        >
          <label className="field">
            <span className="field-label">What should change?</span>
            <textarea
              ref={notesBox}
              value={notes}
              rows={3}
              aria-invalid={notesError ? true : undefined}
              aria-describedby={notesError ? `${id}-notes-error` : undefined}
              onChange={(event) => {
                setNotes(event.target.value);
                if (notesError) setNotesError(null);
              }}
            />
          </label>
          {notesError ? (
            <p id={`${id}-notes-error`} className="form-error">
              {notesError}
            </p>
          ) : null}
          <div className="chat-actions">
            <button type="submit" className="button" aria-disabled={answer.busy || undefined}>
              {answer.isPending ? 'Sending…' : 'Send the changes'}
            </button>
            <button
              type="button"
              className="button button-secondary"
              aria-disabled={answer.busy || undefined}
              onClick={() => !answer.busy && setChanging(false)}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="chat-actions">
          <button
            type="button"
            className="button"
            aria-disabled={answer.busy || undefined}
            onClick={() => !answer.busy && answer.mutate({ pendingId: pending.id, approved: true })}
          >
            {answer.isPending ? 'Sending…' : 'Approve'}
          </button>
          <button
            type="button"
            className="button button-secondary"
            aria-disabled={answer.busy || undefined}
            onClick={() => {
              if (answer.busy) return;
              setChanging(true);
              // The notes box appears on this render; focus it once it is there.
              requestAnimationFrame(() => notesBox.current?.focus());
            }}
          >
            Request changes
          </button>
        </div>
      )}
    </CardShell>
  );
}
