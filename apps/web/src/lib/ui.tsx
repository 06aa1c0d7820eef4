/** Small shared pieces of UI: loading and error states, dialogs for confirmations, icons, time formatting. */
import { type ReactNode, useEffect, useRef } from 'react';
import { ApiError } from './api.ts';

/**
 * The bug mark of bug reports and their cards. Drawn, not an emoji: a browser without an emoji font
 * shows an empty box for 🐞. Takes the text's colour; decorative (the text next to it says "bug").
 */
export function BugIcon({ size = 16 }: { size?: number }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" focusable="false">
      <path d="M9 7.6a3 3 0 0 1 6 0M10 4.8 8.6 3M14 4.8 15.4 3" />
      <rect x="7" y="7.6" width="10" height="13" rx="5" />
      <path d="M12 11v9.5M7 11.5H3.5M7 15.5H3M17 11.5h3.5M17 15.5h4" />
    </svg>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** What went wrong, in words an owner understands, with an optional way to try again. */
export function ErrorNotice({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title ?? 'Something went wrong'}</p>
      <p>{errorMessage(error)}</p>
      {onRetry ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** What a failed request or action says, as an alert under the form or control it came from. */
export function FormError({ error }: { error: unknown }) {
  return error ? (
    <p className="form-error" role="alert">
      {errorMessage(error)}
    </p>
  ) : null;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'An unexpected error occurred.';
}

/**
 * A modal dialog on the native <dialog> element (focus trap, Escape and inert background come with it).
 * Closing by Escape or the close button calls `onClose`.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  wide,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby="dialog-title"
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <>
          <div className="dialog-header">
            <h2 id="dialog-title">{title}</h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </div>
          <div className="dialog-body">{children}</div>
        </>
      ) : null}
    </dialog>
  );
}

/**
 * A question before an action that is hard or impossible to take back: what will happen (`children`),
 * a way out, and the action. The action shows that it runs (`pendingLabel`) and ignores a second press
 * meanwhile; a refusal from the server is shown in the dialog, which stays open.
 */
export function ConfirmDialog({
  open,
  title,
  onClose,
  children,
  cancelLabel = 'Cancel',
  confirmLabel,
  pendingLabel,
  pending = false,
  error,
  danger = false,
  onConfirm,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  cancelLabel?: string;
  confirmLabel: string;
  pendingLabel?: string;
  pending?: boolean;
  error?: unknown;
  /** The action destroys something (a red button). */
  danger?: boolean;
  onConfirm: () => void;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      {children}
      <FormError error={error} />
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" onClick={onClose}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className={danger ? 'button button-danger' : 'button'}
          aria-disabled={pending || undefined}
          onClick={() => {
            if (!pending) onConfirm();
          }}
        >
          {pending && pendingLabel ? pendingLabel : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 minutes ago", "yesterday"… */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 30],
    ['month', 12],
    ['year', Number.POSITIVE_INFINITY],
  ];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return new Date(iso).toLocaleString();
}

export function formatUsd(value: number): string {
  return value < 0.01 && value > 0 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}
