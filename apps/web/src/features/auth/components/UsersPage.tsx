import type { User } from '@sitewright/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from '../../../lib/router.tsx';
import { ConfirmDialog, ErrorNotice, FormError, Loading, timeAgo } from '../../../lib/ui.tsx';
import { authKeys, createUser, deleteUser, usersQueryOptions } from '../queries.ts';

/** Admins: every user, add one, remove one (with their projects). */
export function UsersPage({ currentUser }: { currentUser: User }) {
  const client = useQueryClient();
  const users = useQuery(usersQueryOptions());
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'user' | 'admin'>('user');
  const [removing, setRemoving] = useState<User | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: authKeys.users });
  const add = useMutation({
    mutationFn: () => createUser({ username, password, role }),
    onSuccess: () => {
      setUsername('');
      setPassword('');
      setRole('user');
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => deleteUser(id),
    onSuccess: () => {
      setRemoving(null);
      void refresh();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };

  return (
    <>
      <div className="page-heading">
        <p className="breadcrumb">
          <Link href="/">Projects</Link> / Users
        </p>
        <h1>Users</h1>
        <p>People who can sign in. Each sees only their own projects; administrators see all.</p>
      </div>
      <div className="two-column">
        <section className="card" aria-labelledby="users-title">
          <h2 id="users-title" className="card-title">
            Everyone
          </h2>
          {users.isPending ? (
            <Loading label="Loading users…" />
          ) : users.error ? (
            <ErrorNotice error={users.error} onRetry={() => void users.refetch()} />
          ) : (
            <ul className="plain-list">
              {users.data.map((user) => (
                <li key={user.id} className="list-row">
                  <div>
                    <strong>{user.username}</strong>
                    <span className="muted"> · {user.role === 'admin' ? 'administrator' : 'owner'}</span>
                    <div className="muted small">added {timeAgo(user.createdAt)}</div>
                  </div>
                  {user.id === currentUser.id ? (
                    <span className="muted small">you</span>
                  ) : (
                    <button
                      type="button"
                      className="button button-danger-quiet"
                      onClick={() => setRemoving(user)}
                    >
                      Remove<span className="visually-hidden"> {user.username}</span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="add-user-title">
          <h2 id="add-user-title" className="card-title">
            Add a user
          </h2>
          <form className="form" onSubmit={submit} noValidate>
            <label className="field">
              <span className="field-label">Username</span>
              <input
                value={username}
                autoComplete="off"
                onChange={(event) => setUsername(event.target.value)}
              />
              <span className="field-hint">Letters, digits, dot, underscore or hyphen; at least 3.</span>
            </label>
            <label className="field">
              <span className="field-label">Password</span>
              <input
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
              <span className="field-hint">At least 8 characters. Share it with them privately.</span>
            </label>
            <label className="field">
              <span className="field-label">Role</span>
              <select value={role} onChange={(event) => setRole(event.target.value as 'user' | 'admin')}>
                <option value="user">Owner (their own projects)</option>
                <option value="admin">Administrator (all projects and users)</option>
              </select>
            </label>
            <FormError error={add.error} />
            <button type="submit" className="button" aria-disabled={add.isPending || undefined}>
              Add user
            </button>
          </form>
        </section>
      </div>
      <ConfirmDialog
        open={removing !== null}
        title="Remove this user?"
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        cancelLabel="Keep"
        confirmLabel={`Remove ${removing?.username ?? ''}`}
        pendingLabel="Removing…"
        pending={remove.isPending}
        error={remove.error}
        danger
        onConfirm={() => removing && remove.mutate(removing.id)}
      >
        <p>
          <strong>{removing?.username}</strong> will no longer be able to sign in, and their projects and
          sites will be deleted. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
