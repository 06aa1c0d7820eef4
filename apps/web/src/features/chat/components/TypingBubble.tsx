/**
 * What the agent is writing right now, as the newest message of the conversation: the text so far
 * with a caret, or "Writing…" before the first word. The status says once that the agent is writing;
 * the growing text stays outside it, readable but not read out on every notice (the finished message
 * is, by the log).
 */
export function TypingBubble({ text }: { text: string }) {
  return (
    <div className="chat-row chat-row-agent">
      <div className="chat-bubble chat-bubble-agent chat-bubble-writing">
        <span className="visually-hidden" role="status">
          The agent is writing…
        </span>
        {text ? (
          <>
            {text}
            <span className="chat-caret" aria-hidden="true" />
          </>
        ) : (
          <span className="chat-writing" aria-hidden="true">
            <span className="chat-typing-dots">
              <span />
              <span />
              <span />
            </span>
            Writing…
          </span>
        )}
      </div>
    </div>
  );
}
