import type { ProjectEvent } from '@sitewright/contracts';

/** The website pack's hook that commits the site after every write (packages/website hooks). */
const COMMIT_HOOK = 'git_commit';
/** Events that put the site files somewhere else: a rollback, a rewind, and taking a rewind back. */
const REWRITING_EVENTS = new Set(['board_restored', 'rewound', 'rewind_undone']);

export interface SiteVersion {
  /** Seq of the newest event that changed the files; moves on every commit, rollback and rewind. */
  changedAt: number;
  /** A commit exists in the active (not rewound) history: there is a site to show. */
  built: boolean;
}

function isCommit(event: ProjectEvent): boolean {
  if (event.type !== 'hook_finished') return false;
  const payload = event.payload as { hook?: unknown; ok?: unknown; detail?: unknown };
  // The hook reports "committed <sha>: …", or "nothing to commit" when the files did not change.
  return (
    payload.hook === COMMIT_HOOK &&
    payload.ok === true &&
    typeof payload.detail === 'string' &&
    payload.detail.startsWith('committed')
  );
}

/** Where the site stands according to the event log, read newest first. */
export function siteVersionOf(events: readonly ProjectEvent[]): SiteVersion {
  let changedAt = 0;
  let built = false;
  for (let i = events.length - 1; i >= 0 && !(changedAt && built); i--) {
    const event = events[i] as ProjectEvent;
    const commit = isCommit(event);
    if (!changedAt && (commit || REWRITING_EVENTS.has(event.type))) changedAt = event.seq;
    if (commit && !event.superseded) built = true;
  }
  return { changedAt, built };
}
