import type { LoopFinding, LoopKind } from './types.ts';

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});

// A Record, so a new LoopKind does not compile until it has both messages.
const NUDGES: Record<LoopKind, (finding: LoopFinding) => string> = {
  exact_repetition: (f) => `You have repeated ${f.subject} ${f.count} times in a row with the same arguments`,
  pattern_repetition: (f) => `You have repeated the same sequence (${f.subject}) ${f.count} times in a row`,
  similar_target: (f) => `You have made ${f.count} nearly identical attempts at ${f.subject}`,
  error_loop: (f) => `${capitalize(f.subject)} has failed ${f.count} times with the same error`,
  same_result: (f) => `You have run ${f.subject} ${f.count} times and got the same result each time`,
  alternation: (f) => `You have gone back and forth between ${f.subject} for ${f.count} steps`,
  same_content_rewrite: (f) => `You have written identical content to ${f.subject} ${f.count} times`,
  check_still_failing: (f) => `The ${f.subject} still fails after ${f.count} rounds of different edits`,
};

const OWNER_SUMMARIES: Record<LoopKind, (finding: LoopFinding) => string> = {
  exact_repetition: (f) => `The assistant did the same thing (${f.subject}) ${f.count} times in a row`,
  pattern_repetition: (f) =>
    `The assistant went through the same sequence of steps (${f.subject}) ${f.count} times in a row`,
  similar_target: (f) => `The assistant made ${f.count} almost identical attempts at ${f.subject}`,
  error_loop: (f) => `The assistant ran into the same error ${f.count} times with ${f.subject}`,
  same_result: (f) =>
    `The assistant repeated ${f.subject} ${f.count} times and got the same answer every time`,
  alternation: (f) =>
    `The assistant kept switching back and forth between ${f.subject} (${f.count} steps in a row)`,
  same_content_rewrite: (f) =>
    `The assistant saved ${f.subject} ${f.count} times with exactly the same content`,
  check_still_failing: (f) => `The site ${f.subject} kept failing after ${f.count} different fixes`,
};

/** The one-sentence message sent to the worker on the first detection of a loop. */
export function loopNudge(finding: LoopFinding): string {
  return `${NUDGES[finding.kind](finding)}; try a different approach, or escalate to the owner if you are stuck.`;
}

/** Plain-English text for the owner's pause card: what repeated, how many times and what it cost. */
export function describeLoopForOwner(finding: LoopFinding): string {
  return `${OWNER_SUMMARIES[finding.kind](finding)}, so it seems to be stuck. These repeated steps cost ${formatUsd(finding.costUsd)}.`;
}

/** A dollar amount with 2–4 decimals, e.g. `$0.0421` or `$1.50`. */
export function formatUsd(amount: number): string {
  if (amount > 0 && amount < 0.00005) return 'less than $0.0001';
  return usd.format(amount);
}

/** The text with its first letter in upper case. */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
