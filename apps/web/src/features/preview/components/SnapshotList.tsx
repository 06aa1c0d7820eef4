import type { SnapshotDto } from '@sitewright/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ConfirmDialog, FormError, timeAgo } from '../../../lib/ui.tsx';
import { projectKeys } from '../../projects/queries.ts';
import { rollBackToSnapshot, saveSnapshot } from '../queries.ts';

/** Saved states of the board and the site together: save one, or roll back to one after confirming. */
/** Every passed gate leaves an automatic snapshot: the list starts short. */
const SHOWN_AT_FIRST = 5;

export function SnapshotList({ projectId, snapshots }: { projectId: string; snapshots: SnapshotDto[] }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [target, setTarget] = useState<SnapshotDto | null>(null);
  const [rolledBackTo, setRolledBackTo] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const shown = all ? snapshots : snapshots.slice(0, SHOWN_AT_FIRST);
  const save = useMutation({
    mutationFn: (snapshotName: string) => saveSnapshot(projectId, snapshotName),
    onSuccess: () => {
      setName('');
      void client.invalidateQueries({ queryKey: projectKeys.snapshots(projectId) });
    },
  });
  const rollBack = useMutation({
    mutationFn: (snapshot: SnapshotDto) => rollBackToSnapshot(projectId, snapshot.id),
    onSuccess: (_, snapshot) => {
      setTarget(null);
      setRolledBackTo(snapshot.name);
      // The rollback's event refetches the page too; the new automatic snapshot is listed at once.
      void client.invalidateQueries({ queryKey: projectKeys.snapshots(projectId) });
      void client.invalidateQueries({ queryKey: projectKeys.commits(projectId) });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() && !save.isPending) save.mutate(name.trim());
  };
  const closeDialog = () => {
    setTarget(null);
    rollBack.reset();
  };

  return (
    <>
      <form className="inline-form snapshot-form" onSubmit={submit} noValidate>
        <label className="field grow">
          <span className="field-label">Snapshot name</span>
          <input
            name="snapshot-name"
            placeholder="e.g. Before the new menu"
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <button type="submit" className="button" aria-disabled={!name.trim() || save.isPending || undefined}>
          {save.isPending ? 'Saving…' : 'Save a snapshot'}
        </button>
      </form>
      <FormError error={save.error} />
      <p className="small snapshot-status" role="status">
        {rolledBackTo
          ? `Rolled back to “${rolledBackTo}”. What was there before is kept as an automatic snapshot.`
          : ''}
      </p>
      {snapshots.length === 0 ? (
        <p className="empty small">No snapshots yet. Save one before a big change to come back to it.</p>
      ) : (
        <ul className="plain-list snapshot-list" aria-label="Snapshots, newest first">
          {shown.map((snapshot) => (
            <li key={snapshot.id} className="list-row snapshot-row">
              <div className="snapshot-main">
                <span className="snapshot-name">{snapshot.name}</span>
                <span className="small muted">
                  {snapshot.kind === 'auto' ? 'Automatic · ' : ''}
                  <time dateTime={snapshot.createdAt} title={new Date(snapshot.createdAt).toLocaleString()}>
                    {timeAgo(snapshot.createdAt)}
                  </time>
                  {snapshot.commitSha ? (
                    <>
                      {' · '}
                      <code title={snapshot.commitSha}>{snapshot.commitSha.slice(0, 7)}</code>
                    </>
                  ) : null}
                </span>
              </div>
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => setTarget(snapshot)}
              >
                Roll back<span className="visually-hidden"> to {snapshot.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {snapshots.length > SHOWN_AT_FIRST ? (
        <button type="button" className="link-button small" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${snapshots.length} snapshots`}
        </button>
      ) : null}
      <ConfirmDialog
        open={target !== null}
        title="Roll back to this snapshot?"
        onClose={closeDialog}
        confirmLabel={`Roll back to ${target?.name ?? ''}`}
        pendingLabel="Rolling back…"
        pending={rollBack.isPending}
        error={rollBack.error}
        onConfirm={() => target && rollBack.mutate(target)}
      >
        <p>
          The site files and the board go back to how they were at <strong>{target?.name}</strong>
          {target ? ` (saved ${timeAgo(target.createdAt)})` : ''}. Work done since then leaves the site and
          the board, and the agent carries on from there.
        </p>
        <p>
          Nothing is lost: the current state is saved first as an automatic snapshot you can roll back to.
        </p>
      </ConfirmDialog>
    </>
  );
}
