import type { ReactNode } from 'react';
import { z } from 'zod';
import type { ChatItem } from '../project-chat.ts';
import { BriefCard } from './BriefCard.tsx';

type AnswerItem = Extract<ChatItem, { kind: 'answer' }>;

const MockupDetails = z.object({ wireframe: z.string() });

/** The history of the conversation, oldest first. Text from people and models is rendered as text. */
export function ChatLog({
  items,
  onAnswerDifferently,
}: {
  items: ChatItem[];
  /** Absent inside a set-aside group: what a rewind hid is read-only. */
  onAnswerDifferently?: (answer: AnswerItem) => void;
}) {
  return (
    <>
      {items.map((item) => (
        <ChatEntry key={item.key} item={item} onAnswerDifferently={onAnswerDifferently} />
      ))}
    </>
  );
}

function ChatEntry({
  item,
  onAnswerDifferently,
}: {
  item: ChatItem;
  onAnswerDifferently: ((answer: AnswerItem) => void) | undefined;
}) {
  switch (item.kind) {
    case 'agent':
      return <AgentBubble>{item.text}</AgentBubble>;
    case 'owner':
      return <OwnerBubble>{item.text}</OwnerBubble>;
    case 'ask':
      return (
        <AgentBubble>
          {item.title ? <strong className="chat-bubble-title">{item.title}</strong> : null}
          {item.text ? <span className="chat-bubble-text">{item.text}</span> : null}
          <AskDetails item={item} />
          {item.state === 'cancelled' ? <span className="chat-bubble-note">No longer needed.</span> : null}
        </AgentBubble>
      );
    case 'answer':
      return (
        <div className="chat-row chat-row-owner">
          <p className="chat-bubble chat-bubble-owner">
            <span className="visually-hidden">You: </span>
            {item.text}
          </p>
          {item.rewindable && !item.superseded && onAnswerDifferently ? (
            <button
              type="button"
              className="link-button chat-rewind"
              aria-label={`Answer differently: ${item.question}`}
              onClick={() => onAnswerDifferently(item)}
            >
              Answer differently
            </button>
          ) : null}
        </div>
      );
    case 'divider':
      return (
        <p className="chat-divider">
          <span>{item.text}</span>
        </p>
      );
    case 'notice':
      return <p className={`chat-notice chat-notice-${item.tone}`}>{item.text}</p>;
    case 'set_aside':
      return (
        <details className="chat-set-aside">
          <summary>
            {item.items.length === 1 ? '1 message' : `${item.items.length} messages`} set aside by going back
          </summary>
          <div className="chat-set-aside-items">
            <ChatLog items={item.items} />
          </div>
        </details>
      );
  }
}

/** What an approval was about, folded away: the brief as facts, the mockup as its wireframe. */
function AskDetails({ item }: { item: Extract<ChatItem, { kind: 'ask' }> }) {
  if (item.pendingKind !== 'approval') return null;
  if (item.subject === 'brief') {
    return (
      <details className="chat-bubble-details">
        <summary>Show the brief</summary>
        <BriefCard brief={item.details} />
      </details>
    );
  }
  const mockup = item.subject === 'mockup' ? MockupDetails.safeParse(item.details) : null;
  if (mockup?.success) {
    return (
      <details className="chat-bubble-details">
        <summary>Show the wireframe</summary>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a block that scrolls must be reachable by keyboard. */}
        <pre tabIndex={0}>{mockup.data.wireframe}</pre>
      </details>
    );
  }
  return null;
}

function AgentBubble({ children }: { children: ReactNode }) {
  return (
    <div className="chat-row chat-row-agent">
      <div className="chat-bubble chat-bubble-agent">
        <span className="visually-hidden">Agent: </span>
        {children}
      </div>
    </div>
  );
}

function OwnerBubble({ children }: { children: ReactNode }) {
  return (
    <div className="chat-row chat-row-owner">
      <p className="chat-bubble chat-bubble-owner">
        <span className="visually-hidden">You: </span>
        {children}
      </p>
    </div>
  );
}
