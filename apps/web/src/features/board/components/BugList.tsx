import type { BugCard, BugStatus } from '@sitewright/contracts';
import { BugIcon } from '../../../lib/ui.tsx';
import { BUG_STEPS, plural, statusWords } from '../board-words.ts';
import { useBoardUi } from '../store.ts';

/**
 * Bug reports above the lanes, newest first, each with where it stands and the fixes it led to.
 * Resolved ones fold away under a summary so open bugs stay on top however many were fixed.
 */
export function BugList({ projectId, bugs }: { projectId: string; bugs: readonly BugCard[] }) {
  if (bugs.length === 0) return null;
  // Sorted here rather than trusted from the cache: live updates put a changed bug first.
  const newestFirst = [...bugs].sort((a, b) => b.bug.id - a.bug.id);
  const open = newestFirst.filter(({ bug }) => bug.bugStatus !== 'resolved');
  const resolved = newestFirst.filter(({ bug }) => bug.bugStatus === 'resolved');
  return (
    <section className="bugs" aria-labelledby="bugs-title">
      <h3 className="bugs-title" id="bugs-title">
        Bugs <span className="lane-count">{open.length}</span>
      </h3>
      {open.length > 0 ? <BugCards projectId={projectId} bugs={open} /> : null}
      {resolved.length > 0 ? (
        <details className="bugs-resolved">
          <summary>{plural(resolved.length, 'resolved bug')}</summary>
          <BugCards projectId={projectId} bugs={resolved} />
        </details>
      ) : null}
    </section>
  );
}

function BugCards({ projectId, bugs }: { projectId: string; bugs: readonly BugCard[] }) {
  const open = useBoardUi((state) => state.open);
  return (
    <ul className="bug-list">
      {bugs.map(({ bug, fixes }) => {
        const status = bug.bugStatus ?? 'open';
        return (
          <li key={bug.id} className={`bug-card bug-card-${status}`} data-bug-id={bug.id}>
            <button
              type="button"
              className="bug-open"
              onClick={() => open({ kind: 'card', projectId, itemId: bug.id })}
            >
              <span className="bug-mark">
                <BugIcon size={18} />
              </span>
              <span className="bug-name">{bug.name}</span>
              {bug.page ? <span className="chip">{bug.page}</span> : null}
              <span className="visually-hidden">, bug {status}</span>
            </button>
            <BugSteps status={status} />
            {fixes.length > 0 ? (
              <div className="bug-fixes">
                <p className="bug-fixes-title">{plural(fixes.length, 'fix', 'fixes')}</p>
                <ul>
                  {fixes.map((fix) => (
                    <li key={fix.id}>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => open({ kind: 'card', projectId, itemId: fix.id })}
                      >
                        {fix.name}
                      </button>{' '}
                      <span className={`fix-status fix-${fix.status}`}>{statusWords(fix)}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** open → analyzing → fixing → resolved, with the current step marked. */
export function BugSteps({ status }: { status: BugStatus }) {
  const current = BUG_STEPS.findIndex((step) => step.status === status);
  return (
    <ol className="bug-steps" aria-label="Bug status" data-status={status}>
      {BUG_STEPS.map((step, index) => {
        const state = index < current ? 'done' : index === current ? 'current' : 'todo';
        return (
          <li
            key={step.status}
            className={`bug-step bug-step-${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span className="bug-step-dot" aria-hidden="true">
              {state === 'done' || (state === 'current' && status === 'resolved') ? '✓' : index + 1}
            </span>
            <span className="bug-step-title">{step.title}</span>
          </li>
        );
      })}
    </ol>
  );
}
