import type { ProjectDetail } from '@sitewright/contracts';
import { useMutation } from '@tanstack/react-query';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { FormError, Loading } from '../../../lib/ui.tsx';
import { sendMessage } from '../../project/queries.ts';
import type { ProjectStream } from '../../project/stream.ts';
import { type ChatItem, chatItems, lastRewindable, withoutOpen } from '../project-chat.ts';
import { useAgentTyping } from '../store.ts';
import '../chat.css';
import { ChatLog } from './ChatLog.tsx';
import { MessageBox } from './MessageBox.tsx';
import { PendingCard } from './PendingCard.tsx';
import { RewindDialog } from './RewindDialog.tsx';
import { TypingBubble } from './TypingBubble.tsx';

type AnswerItem = Extract<ChatItem, { kind: 'answer' }>;

/** How close to the end counts as "at the bottom" (px): new items then scroll into view. */
const STICK_THRESHOLD = 48;

/**
 * The conversation with the agent: the history projected from the event log, the open questions,
 * approvals and continuations as cards to act on, what the agent is writing right now, and a box for
 * free-form messages.
 */
export function ChatPanel({
  projectId,
  detail,
  stream,
}: {
  projectId: string;
  detail: ProjectDetail;
  stream: ProjectStream;
}) {
  const [rewindTarget, setRewindTarget] = useState<AnswerItem | null>(null);
  const [focusPendingId, setFocusPendingId] = useState<string | null>(null);
  // The replay is shown once it is complete; a later restart of the stream keeps the chat on screen.
  const [replayed, setReplayed] = useState(stream.live);
  if (stream.live && !replayed) setReplayed(true);

  const pending = detail.pending;
  const allItems = useMemo(() => chatItems(stream.events), [stream.events]);
  const items = useMemo(
    () => withoutOpen(allItems, new Set(pending.map((open) => open.id))),
    [allItems, pending],
  );
  const rewindable = lastRewindable(items) !== null;
  const running = detail.project.status === 'running';
  // Only a running agent writes: a notice that outlived a pause or a stop is not shown.
  const typing = useAgentTyping((state) => (running ? state.byProject[projectId] : undefined));

  const message = useMutation({ mutationFn: (text: string) => sendMessage(projectId, text) });

  const scroller = useRef<HTMLElement>(null);
  const atBottom = useRef(true);
  const pendingKey = pending.map((open) => open.id).join(',');
  const lastPendingKey = useRef(pendingKey);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    // A card that was answered went away: the owner acted, so follow what comes next.
    const answered = lastPendingKey.current.split(',').some((id) => id && !pendingKey.includes(id));
    lastPendingKey.current = pendingKey;
    if (!atBottom.current && !answered) return;
    element.scrollTop = element.scrollHeight;
    // A card taller than the view is shown from its top, so the owner reads it from the start.
    const card = element.querySelector<HTMLElement>('.chat-pending > :last-child');
    if (card && card.offsetHeight > element.clientHeight) element.scrollTop = card.offsetTop - 8;
    atBottom.current = true;
  }, [items, pendingKey, running, replayed, typing?.text]);

  const focusRewind = () => {
    const buttons = scroller.current?.querySelectorAll<HTMLButtonElement>('.chat-rewind');
    const last = buttons?.[buttons.length - 1];
    last?.scrollIntoView({ block: 'center' });
    last?.focus();
  };

  const empty = items.length === 0 && pending.length === 0;

  return (
    <div className="chat">
      <h2 className="visually-hidden">Chat</h2>
      <section
        className="chat-scroll"
        ref={scroller}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the conversation scrolls; the keyboard must reach it.
        tabIndex={0}
        aria-label="Conversation"
        onScroll={(event) => {
          const element = event.currentTarget;
          atBottom.current =
            element.scrollHeight - element.scrollTop - element.clientHeight < STICK_THRESHOLD;
        }}
      >
        {replayed ? (
          <>
            <div className="chat-log" role="log" aria-live="polite" aria-label="Messages">
              {empty ? (
                <p className="chat-empty">
                  {running
                    ? 'The agent’s first question appears here in a moment.'
                    : 'Nothing here yet. Write to the agent below.'}
                </p>
              ) : (
                <ChatLog items={items} onAnswerDifferently={setRewindTarget} />
              )}
            </div>
            {pending.length > 0 ? (
              <div className="chat-pending">
                {pending.map((open) => (
                  <PendingCard
                    key={open.id}
                    projectId={projectId}
                    pending={open}
                    events={stream.events}
                    focusOnMount={open.id === focusPendingId}
                    onRewind={rewindable ? focusRewind : null}
                  />
                ))}
              </div>
            ) : null}
            {typing ? (
              <TypingBubble key={typing.turn} text={typing.text} />
            ) : running ? (
              <p className="chat-typing" role="status">
                <span className="chat-typing-dots" aria-hidden="true">
                  <span />
                  <span />
                  <span />
                </span>
                Waiting for the agent…
              </p>
            ) : null}
          </>
        ) : (
          <Loading label="Loading the conversation…" />
        )}
      </section>
      <div className="chat-composer">
        <MessageBox
          label="Message the agent"
          sendLabel="Send"
          placeholder="Ask, explain or suggest something…"
          busy={message.isPending}
          onSend={(text) => {
            atBottom.current = true;
            return message.mutateAsync(text);
          }}
        />
        <FormError error={message.error} />
      </div>
      <RewindDialog
        projectId={projectId}
        target={rewindTarget}
        onClose={() => setRewindTarget(null)}
        onRewound={(answer) => {
          setRewindTarget(null);
          setFocusPendingId(answer.pendingId);
          atBottom.current = true;
        }}
      />
    </div>
  );
}
