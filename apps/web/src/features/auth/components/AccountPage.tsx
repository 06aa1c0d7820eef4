import type { User } from '@sitewright/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from '../../../lib/router.tsx';
import { errorMessage } from '../../../lib/ui.tsx';
import { changePassword } from '../queries.ts';

/** The signed-in user's account: who they are, and a password change (which signs out other sessions). */
export function AccountPage({ user }: { user: User }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: () => changePassword({ current, next }),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (next.length < 8) return setProblem('The new password needs at least 8 characters.');
    if (next !== repeat) return setProblem('The two new passwords are not the same.');
    setProblem(null);
    change.mutate();
  };

  return (
    <>
      <div className="page-heading">
        <p className="breadcrumb">
          <Link href="/">Projects</Link> / Account
        </p>
        <h1>Your account</h1>
        <p>
          Signed in as <strong>{user.username}</strong>
          {user.role === 'admin' ? ' (administrator)' : ''}.
        </p>
      </div>
      <section className="card narrow" aria-labelledby="password-title">
        <h2 id="password-title" className="card-title">
          Change password
        </h2>
        <p className="muted">Every other device signed in to this account will be signed out.</p>
        <form className="form" onSubmit={submit} noValidate>
          <label className="field">
            <span className="field-label">Current password</span>
            <input
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">New password</span>
            <input
              type="password"
              autoComplete="new-password"
              value={next}
              onChange={(event) => setNext(event.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">New password again</span>
            <input
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(event) => setRepeat(event.target.value)}
            />
          </label>
          {problem || change.error ? (
            <p className="form-error" role="alert">
              {problem ?? errorMessage(change.error)}
            </p>
          ) : null}
          {change.isSuccess ? (
            <p className="form-success" role="status">
              Your password was changed.
            </p>
          ) : null}
          <button type="submit" className="button" aria-disabled={change.isPending || undefined}>
            {change.isPending ? 'Changing…' : 'Change password'}
          </button>
        </form>
      </section>
    </>
  );
}
