/** The board in the owner's words: lane titles, statuses, and reading a card's evidence and steps. */
import {
  type Board,
  type BugStatus,
  CardEvidence,
  EvidenceFileName,
  type Lane,
  type WorkItemCard,
} from '@sitewright/contracts';

export const LANES: ReadonlyArray<{ lane: Lane; title: string; hint: string }> = [
  { lane: 'backlog', title: 'Backlog', hint: 'Waiting for other work, or set aside' },
  { lane: 'ready', title: 'Ready', hint: 'Next up, in this order' },
  { lane: 'in_progress', title: 'Building', hint: 'The agent is on it' },
  { lane: 'needs_review', title: 'Needs your check', hint: 'Built; have a look' },
  { lane: 'done', title: 'Done', hint: 'Verified in a browser' },
  { lane: 'blocked', title: 'Blocked', hint: 'Failed too often; needs a decision' },
];

export const BUG_STEPS: ReadonlyArray<{ status: BugStatus; title: string }> = [
  { status: 'open', title: 'open' },
  { status: 'analyzing', title: 'analyzing' },
  { status: 'fixing', title: 'fixing' },
  { status: 'resolved', title: 'resolved' },
];

const STATUS_WORDS: Record<WorkItemCard['status'], string> = {
  pending: 'to do',
  in_progress: 'being built',
  needs_review: 'needs your check',
  passing: 'done',
  failing: 'failed, will retry',
  skipped: 'set aside',
};

/** "being built", or "blocked" when it failed too often — what a card's state means to the owner. */
export function statusWords(card: WorkItemCard): string {
  if (card.lane === 'blocked') return 'blocked';
  return STATUS_WORDS[card.status];
}

export function laneTitle(lane: Lane | null): string {
  return LANES.find((entry) => entry.lane === lane)?.title ?? 'Bugs';
}

/** Every card on the board, lanes first then bugs with their fixes, each once. */
export function allCards(board: Board): WorkItemCard[] {
  const seen = new Map<number, WorkItemCard>();
  for (const { lane } of LANES) for (const card of board.lanes[lane] ?? []) seen.set(card.id, card);
  for (const { bug, fixes } of board.bugs) {
    seen.set(bug.id, bug);
    for (const fix of fixes) if (!seen.has(fix.id)) seen.set(fix.id, fix);
  }
  return [...seen.values()];
}

export function findCard(board: Board | undefined, itemId: number): WorkItemCard | undefined {
  return board ? allCards(board).find((card) => card.id === itemId) : undefined;
}

/** The evidence in its usual shape, or null when there is none or it is shaped otherwise. */
export function readEvidence(card: WorkItemCard): CardEvidence | null {
  if (card.evidence === null || card.evidence === undefined) return null;
  const parsed = CardEvidence.safeParse(card.evidence);
  return parsed.success ? parsed.data : null;
}

/** The screenshot's file name when the evidence names one the server can serve. */
export function screenshotFile(evidence: CardEvidence | null): string | null {
  const name = evidence?.screenshot;
  return name && EvidenceFileName.safeParse(name).success ? name : null;
}

/** Lines of a textarea as a list: trimmed, blank lines dropped. */
export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** The first line of an error, cut to fit a card. */
export function snippet(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
