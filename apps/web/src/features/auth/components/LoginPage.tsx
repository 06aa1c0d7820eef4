import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../../lib/api.ts';
import { authKeys, login } from '../queries.ts';

/** Sign in. On success the app re-renders at the address the owner came for. */
export function LoginPage() {
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => login(username, password),
    onSuccess: (user) => client.setQueryData(authKeys.me, user),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!signIn.isPending) signIn.mutate();
  };

  const error = signIn.error;
  const message =
    error instanceof ApiError && error.code === 'rate_limited'
      ? 'Too many attempts. Wait a minute, then try again.'
      : error instanceof ApiError && error.status === 401
        ? 'That username and password do not match an account.'
        : error
          ? error.message
          : null;

  return (
    <section className="auth-card card" aria-labelledby="login-title">
      <h1 id="login-title" className="auth-title">
        Sign in to Sitewright
      </h1>
      <p className="muted">Build and run your website with an agent that asks before it acts.</p>
      <form className="form" onSubmit={submit} noValidate>
        <label className="field">
          <span className="field-label">Username</span>
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {message ? (
          <p className="form-error" role="alert">
            {message}
          </p>
        ) : null}
        <button type="submit" className="button" aria-disabled={signIn.isPending || undefined}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
