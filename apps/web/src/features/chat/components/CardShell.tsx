import type { AnswerRequest } from '@sitewright/contracts';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { FormError } from '../../../lib/ui.tsx';
import { answerPending } from '../../project/queries.ts';

/**
 * The owner's answer to one open pending. It stays busy after success too: the card goes away when
 * the WebSocket reports the pending answered, and must not take a second answer meanwhile.
 */
export function useAnswer(projectId: string) {
  const mutation = useMutation({ mutationFn: (input: AnswerRequest) => answerPending(projectId, input) });
  return { ...mutation, busy: mutation.isPending || mutation.isSuccess };
}

/** The frame every open card shares: a heading that takes focus when asked, the body, the error. */
export function CardShell({
  title,
  kind,
  focusOnMount,
  error,
  children,
}: {
  title: ReactNode;
  kind: string;
  focusOnMount: boolean;
  error: unknown;
  children: ReactNode;
}) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // After going back, the reopened question takes focus once: when its card appears, or when the
  // owner's rewind is confirmed if the live update showed the card first.
  const focused = useRef(false);
  useEffect(() => {
    if (!focusOnMount || focused.current) return;
    focused.current = true;
    heading.current?.focus();
  }, [focusOnMount]);
  return (
    <article className={`chat-card chat-card-${kind}`} aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1} className="chat-card-title">
        {title}
      </h3>
      {children}
      <FormError error={error} />
    </article>
  );
}
