import { useMutation } from '@tanstack/react-query';
import { ConfirmDialog } from '../../../lib/ui.tsx';
import { rewindTo } from '../../project/queries.ts';
import type { ChatItem } from '../project-chat.ts';

type AnswerItem = Extract<ChatItem, { kind: 'answer' }>;

/**
 * Confirms going back to an earlier question. What followed it is set aside, not deleted: it stays in
 * the history (and the chat shows it folded away).
 */
export function RewindDialog({
  projectId,
  target,
  onClose,
  onRewound,
}: {
  projectId: string;
  target: AnswerItem | null;
  onClose: () => void;
  onRewound: (answer: AnswerItem) => void;
}) {
  const rewind = useMutation({
    mutationFn: (answer: AnswerItem) => rewindTo(projectId, answer.askedSeq),
    onSuccess: (_result, answer) => onRewound(answer),
  });
  const close = () => {
    rewind.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={target !== null}
      title="Answer this question again?"
      onClose={close}
      confirmLabel="Go back to this question"
      pendingLabel="Going back…"
      pending={rewind.isPending}
      error={rewind.error}
      onConfirm={() => target && rewind.mutate(target)}
    >
      {target ? (
        <>
          <blockquote className="rewind-question">{target.question}</blockquote>
          <p>
            You answered: <strong>{target.text}</strong>
          </p>
          <p>
            The agent goes back to this question and continues from your new answer. Everything it did after
            it is set aside: it stays in the history, folded away, and is not used any more.
          </p>
        </>
      ) : null}
    </ConfirmDialog>
  );
}
