import type { Commit, WorkItemCard } from '@sitewright/contracts';
import { useQuery } from '@tanstack/react-query';
import { timeAgo } from '../../../lib/ui.tsx';
import { commitsQueryOptions } from '../../preview/queries.ts';
import { readEvidence, screenshotFile } from '../board-words.ts';
import { evidenceUrl } from '../queries.ts';

/**
 * What proves the card works (or shows how it failed): the checks run with pass/fail, the screenshot
 * the browser check took, and the commit that made it pass.
 */
export function CardEvidenceView({ projectId, card }: { projectId: string; card: WorkItemCard }) {
  const evidence = readEvidence(card);
  const passed = card.status === 'passing' && card.itemType !== 'bug';
  const commits = useQuery({ ...commitsQueryOptions(projectId), enabled: passed });
  const file = screenshotFile(evidence);
  const commit = passed ? commitOf(card, evidence?.commit ?? null, commits.data ?? []) : null;
  const shownText = evidence?.screenshot && !file ? evidence.screenshot : null;
  const other = card.evidence !== null && card.evidence !== undefined && !evidence;

  if (!evidence && !commit && !other) return null;
  return (
    <section className="card-evidence" aria-labelledby="card-evidence-title">
      <h3 className="card-detail-heading" id="card-evidence-title">
        Evidence
      </h3>
      {evidence?.checks && evidence.checks.length > 0 ? (
        <ul className="evidence-checks">
          {evidence.checks.map((check, index) => (
            <li key={index} className={check.passed ? 'check-passed' : 'check-failed'}>
              <span className="check-result">{check.passed ? '✓ passed' : '✗ failed'}</span>{' '}
              <span className="check-name">{check.name}</span>
              {check.detail ? <span className="check-detail">{check.detail}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {file ? (
        <figure className="evidence-shot">
          <a href={evidenceUrl(projectId, file)} target="_blank" rel="noreferrer">
            <img
              src={evidenceUrl(projectId, file)}
              alt={`Screenshot the browser check took of “${card.name}”`}
              loading="lazy"
            />
          </a>
          <figcaption className="small muted">Screenshot from the browser check (opens full size)</figcaption>
        </figure>
      ) : null}
      {shownText ? (
        <p className="small">
          Screenshot: <code>{shownText}</code>
        </p>
      ) : null}
      {commit ? (
        <p className="small" data-testid="card-commit">
          Made to pass in commit <code>{commit.sha.slice(0, 7)}</code>
          {commit.message ? ` — ${commit.message}` : ''}
          {commit.createdAt ? <span className="muted"> · {timeAgo(commit.createdAt)}</span> : null}
        </p>
      ) : null}
      {other ? <pre className="card-detail-error">{JSON.stringify(card.evidence, null, 2)}</pre> : null}
    </section>
  );
}

/**
 * The commit named by the evidence, or else the newest one the hook chain made for this card (its
 * message ends in "(#id)") up to when the card passed.
 */
function commitOf(
  card: WorkItemCard,
  named: string | null,
  commits: readonly Commit[],
): { sha: string; message: string; createdAt: string | null } | null {
  if (named) {
    const found = commits.find((commit) => commit.sha.startsWith(named) || named.startsWith(commit.sha));
    return found ?? { sha: named, message: '', createdAt: null };
  }
  const passedAt = card.passedAt ? new Date(card.passedAt).getTime() : Number.POSITIVE_INFINITY;
  const found = commits.find(
    (commit) =>
      commit.message.endsWith(`(#${card.id})`) && new Date(commit.createdAt).getTime() <= passedAt + 1_000,
  );
  return found ?? null;
}
