import { useId, useState } from 'react';

/**
 * A labelled text box with a send button: Enter sends, Shift+Enter starts a new line. The text is
 * cleared once `onSend` succeeds; a failure keeps it so nothing typed is lost.
 */
export function MessageBox({
  label,
  sendLabel,
  placeholder,
  busy,
  onSend,
  className,
}: {
  label: string;
  sendLabel: string;
  placeholder?: string;
  busy: boolean;
  onSend: (text: string) => Promise<unknown>;
  className?: string;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const empty = text.trim() === '';
  const blocked = busy || empty;

  const submit = () => {
    if (blocked) return;
    onSend(text.trim()).then(
      () => setText(''),
      () => {},
    );
  };

  return (
    <form
      className={`message-box ${className ?? ''}`}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label className="field-label" htmlFor={`${id}-text`}>
        {label}
      </label>
      <div className="message-box-row">
        <textarea
          id={`${id}-text`}
          rows={2}
          value={text}
          placeholder={placeholder}
          aria-describedby={`${id}-hint`}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <button type="submit" className="button" aria-disabled={blocked || undefined}>
          {busy ? 'Sending…' : sendLabel}
        </button>
      </div>
      <p id={`${id}-hint`} className="field-hint">
        {empty ? 'Type something to send. ' : ''}Enter sends, Shift+Enter adds a line.
      </p>
    </form>
  );
}
