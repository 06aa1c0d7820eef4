import type { ProjectSummary, User } from '@sitewright/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, navigate } from '../../../lib/router.tsx';
import { ConfirmDialog, ErrorNotice, FormError, formatUsd, Loading, timeAgo } from '../../../lib/ui.tsx';
import { RunStatusBadge } from '../../project/components/RunStatusBadge.tsx';
import { createProject, deleteProject, projectKeys, projectListQueryOptions } from '../queries.ts';

/** The owner's projects with their status and progress; create one; delete one after confirming. */
export function ProjectsPage({ user }: { user: User }) {
  const client = useQueryClient();
  const projects = useQuery({ ...projectListQueryOptions(), refetchInterval: 15_000 });
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<ProjectSummary | null>(null);
  const create = useMutation({
    mutationFn: () => createProject(name.trim()),
    onSuccess: (detail) => {
      client.setQueryData(projectKeys.detail(detail.project.id), detail);
      void client.invalidateQueries({ queryKey: projectKeys.list() });
      navigate(`/projects/${detail.project.id}`);
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => deleteProject(id),
    onSuccess: () => {
      setDeleting(null);
      void client.invalidateQueries({ queryKey: projectKeys.list() });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() && !create.isPending) create.mutate();
  };

  return (
    <>
      <div className="page-heading">
        <h1>Your websites</h1>
        <p>Hello {user.username}. Start a new site, or pick up where the agent left off.</p>
      </div>
      <section className="card new-project" aria-labelledby="new-project-title">
        <h2 id="new-project-title" className="card-title">
          Start a new website
        </h2>
        <form className="inline-form" onSubmit={submit} noValidate>
          <label className="field grow">
            <span className="field-label">Business name</span>
            <input
              name="project-name"
              placeholder="e.g. Maria's Pizzeria"
              maxLength={120}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </label>
          <button
            type="submit"
            className="button"
            aria-disabled={!name.trim() || create.isPending || undefined}
          >
            {create.isPending ? 'Creating…' : 'Create'}
          </button>
        </form>
        <FormError error={create.error} />
      </section>
      <section aria-labelledby="projects-title">
        <h2 id="projects-title" className="section-title">
          Projects
        </h2>
        {projects.isPending ? (
          <Loading label="Loading your projects…" />
        ) : projects.error ? (
          <ErrorNotice error={projects.error} onRetry={() => void projects.refetch()} />
        ) : projects.data.length === 0 ? (
          <p className="empty">No websites yet. Type your business name above to start the first one.</p>
        ) : (
          <ul className="project-list">
            {projects.data.map((project) => (
              <li key={project.id} className="project-row card">
                <div className="project-row-main">
                  <Link className="project-link" href={`/projects/${project.id}`}>
                    {project.name}
                  </Link>
                  <div className="project-meta">
                    <RunStatusBadge status={project.status} pausedReason={project.pausedReason} />
                    <span>
                      {project.progress.passing} of {project.progress.total} features done
                    </span>
                    {project.progress.bugs.total > project.progress.bugs.resolved ? (
                      <span>{project.progress.bugs.total - project.progress.bugs.resolved} open bug(s)</span>
                    ) : null}
                    <span>{formatUsd(project.spentUsd)} spent</span>
                    <span>updated {timeAgo(project.updatedAt)}</span>
                  </div>
                  <div
                    className="progress"
                    role="progressbar"
                    aria-label={`${project.name} progress`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={project.progress.percent}
                  >
                    <span style={{ width: `${project.progress.percent}%` }} />
                  </div>
                </div>
                <button
                  type="button"
                  className="button button-danger-quiet"
                  onClick={() => setDeleting(project)}
                >
                  Delete<span className="visually-hidden"> {project.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this website?"
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        cancelLabel="Keep it"
        confirmLabel={`Delete ${deleting?.name ?? ''}`}
        pendingLabel="Deleting…"
        pending={remove.isPending}
        error={remove.error}
        danger
        onConfirm={() => deleting && remove.mutate(deleting.id)}
      >
        <p>
          <strong>{deleting?.name}</strong>, its history, its board and its site files will be deleted. This
          cannot be undone. Download the site first if you want to keep it.
        </p>
      </ConfirmDialog>
    </>
  );
}
