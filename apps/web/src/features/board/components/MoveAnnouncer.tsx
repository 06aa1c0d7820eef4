import type { Board, Lane } from '@sitewright/contracts';
import { useEffect, useRef, useState } from 'react';
import { LANES, laneTitle } from '../board-words.ts';

const MAX_NAMED = 3;

/**
 * Says in words, for screen readers, which cards just moved lanes or arrived — what sighted owners see
 * happen on the board. Quiet on the first render: only changes are news.
 */
export function MoveAnnouncer({ board }: { board: Board }) {
  const previous = useRef<Map<number, { lane: Lane; name: string }> | null>(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    const now = new Map<number, { lane: Lane; name: string }>();
    for (const { lane } of LANES)
      for (const card of board.lanes[lane] ?? []) now.set(card.id, { lane, name: card.name });
    const before = previous.current;
    previous.current = now;
    if (!before) return;
    const news: string[] = [];
    for (const [id, { lane, name }] of now) {
      const was = before.get(id);
      if (!was) news.push(`“${name}” added to ${laneTitle(lane)}.`);
      else if (was.lane !== lane) news.push(`“${name}” moved to ${laneTitle(lane)}.`);
    }
    if (news.length === 0) return;
    const extra = news.length - MAX_NAMED;
    setMessage([...news.slice(0, MAX_NAMED), extra > 0 ? `${extra} more changes.` : ''].join(' ').trim());
  }, [board]);

  return (
    <p className="visually-hidden" role="status" aria-live="polite">
      {message}
    </p>
  );
}
