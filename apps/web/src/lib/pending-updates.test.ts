import type { Pending, ProjectDetail } from '@sitewright/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { catchUpPending, recordPendingUpdate, resetPendingUpdates } from './pending-updates.ts';

const projectId = '00000000-0000-4000-8000-000000000001';

const question = (id: string, askedSeq: number): Pending => ({
  id,
  kind: 'question',
  question: `Question ${askedSeq}?`,
  options: null,
  subject: null,
  details: null,
  reason: null,
  askedSeq,
  createdAt: '2026-11-21T10:00:00.000Z',
});

/** A project page as the server read it, at `lastSeq`. */
const page = (lastSeq: number, pending: Pending[]) =>
  ({ project: { id: projectId, lastSeq }, pending }) as unknown as ProjectDetail;

const first = question('00000000-0000-4000-8000-0000000000a1', 3);
const second = question('00000000-0000-4000-8000-0000000000a2', 9);

afterEach(resetPendingUpdates);

describe('open questions a fetched page has not caught up with', () => {
  it('keeps a question the socket opened after the page was read', () => {
    recordPendingUpdate(projectId, { seq: 3, pending: first, status: 'answered' });
    recordPendingUpdate(projectId, { seq: 9, pending: second, status: 'open' });
    // The page was read at seq 5: it knows the first answer, not the second question.
    const caughtUp = catchUpPending(projectId, page(5, []));
    expect(caughtUp.pending.map((pending) => pending.id)).toEqual([second.id]);
  });

  it('applies updates in order, so a question answered since is gone again', () => {
    recordPendingUpdate(projectId, { seq: 9, pending: second, status: 'open' });
    recordPendingUpdate(projectId, { seq: 11, pending: second, status: 'answered' });
    expect(catchUpPending(projectId, page(5, [first])).pending.map((pending) => pending.id)).toEqual([
      first.id,
    ]);
  });

  it('lets a page that has read past the updates stand as it is, and forgets them', () => {
    recordPendingUpdate(projectId, { seq: 9, pending: second, status: 'open' });
    const current = page(12, [first]);
    expect(catchUpPending(projectId, current)).toBe(current);
    // Forgotten: an older page read later no longer gets them either.
    expect(catchUpPending(projectId, page(5, [])).pending).toEqual([]);
  });
});
