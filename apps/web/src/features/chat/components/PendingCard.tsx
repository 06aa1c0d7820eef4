import type { Pending, ProjectEvent } from '@sitewright/contracts';
import { choiceLabel, continuationTitle } from '../chat-words.ts';
import { ApprovalCard } from './ApprovalCard.tsx';
import { CardShell, useAnswer } from './CardShell.tsx';
import { MessageBox } from './MessageBox.tsx';

/** One open question, approval or continuation, as a card the owner acts on. */
export function PendingCard({
  projectId,
  pending,
  events,
  focusOnMount,
  onRewind,
}: {
  projectId: string;
  pending: Pending;
  events: readonly ProjectEvent[];
  focusOnMount: boolean;
  /** Shows the way back to an earlier answer; absent when there is none. */
  onRewind: (() => void) | null;
}) {
  switch (pending.kind) {
    case 'question':
      return <QuestionCard projectId={projectId} pending={pending} focusOnMount={focusOnMount} />;
    case 'approval':
      return (
        <ApprovalCard projectId={projectId} pending={pending} events={events} focusOnMount={focusOnMount} />
      );
    case 'continuation':
      return (
        <ContinuationCard
          projectId={projectId}
          pending={pending}
          focusOnMount={focusOnMount}
          onRewind={onRewind}
        />
      );
  }
}

function QuestionCard({
  projectId,
  pending,
  focusOnMount,
}: {
  projectId: string;
  pending: Pending;
  focusOnMount: boolean;
}) {
  const answer = useAnswer(projectId);
  const send = (text: string) => answer.mutateAsync({ pendingId: pending.id, answer: text });
  const options = pending.options ?? [];
  return (
    <CardShell
      kind="question"
      title={pending.question ?? 'The agent has a question'}
      focusOnMount={focusOnMount}
      error={answer.error}
    >
      {options.length > 0 ? (
        <fieldset className="chat-options">
          <legend className="visually-hidden">Suggested answers</legend>
          {options.map((option) => (
            <button
              key={option}
              type="button"
              className="button button-secondary chat-option"
              aria-disabled={answer.busy || undefined}
              onClick={() => !answer.busy && answer.mutate({ pendingId: pending.id, answer: option })}
            >
              {option}
            </button>
          ))}
        </fieldset>
      ) : null}
      <MessageBox
        label={options.length > 0 ? 'Or write your own answer' : 'Your answer'}
        sendLabel="Answer"
        busy={answer.busy}
        onSend={send}
      />
    </CardShell>
  );
}

function ContinuationCard({
  projectId,
  pending,
  focusOnMount,
  onRewind,
}: {
  projectId: string;
  pending: Pending;
  focusOnMount: boolean;
  onRewind: (() => void) | null;
}) {
  const answer = useAnswer(projectId);
  const choices = pending.options?.length ? pending.options : ['continue', 'stop'];
  return (
    <CardShell
      kind="continuation"
      title={continuationTitle(pending.reason)}
      focusOnMount={focusOnMount}
      error={answer.error}
    >
      {pending.question ? <p>{pending.question}</p> : null}
      <div className="chat-actions">
        {choices.map((choice) => (
          <button
            key={choice}
            type="button"
            className={choice === 'continue' ? 'button' : 'button button-secondary'}
            aria-disabled={answer.busy || undefined}
            onClick={() => !answer.busy && answer.mutate({ pendingId: pending.id, answer: choice })}
          >
            {choiceLabel(choice)}
          </button>
        ))}
        {onRewind ? (
          <button
            type="button"
            className="button button-secondary"
            aria-disabled={answer.busy || undefined}
            onClick={() => !answer.busy && onRewind()}
          >
            Rewind to an earlier answer
          </button>
        ) : null}
      </div>
    </CardShell>
  );
}
