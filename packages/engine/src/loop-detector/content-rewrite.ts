import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import {
  buildFinding,
  byLatestActivity,
  groupSteps,
  isSuccessfulEdit,
  recentSteps,
  shorten,
} from './steps.ts';
import type { LoopDetectorOptions, LoopFinding, Step } from './types.ts';

/*
 * The same target written with identical content again and again. Only the latest run of a target counts:
 * a successful edit with different (or unknown) content changes the target and ends the run; failed
 * edits change nothing and are ignored; edits to other targets may come in between. Content is compared
 * exactly, apart from line endings (CRLF = LF).
 */

/** A target's last `rewriteRepetitions` successful writes (the first one included) carried identical content. */
export function detectSameContentRewrite(
  steps: readonly Step[],
  options: LoopDetectorOptions = DEFAULT_LOOP_OPTIONS,
): LoopFinding | null {
  const recent = recentSteps(steps, options.window);
  const edits = groupSteps(recent, (step) =>
    isSuccessfulEdit(step) && step.target !== undefined ? step.target : null,
  );
  for (const writes of byLatestActivity(edits)) {
    const run = identicalTail(writes);
    const target = run[0]?.target;
    if (run.length < Math.max(options.rewriteRepetitions, 2) || target === undefined) continue;
    const subject = shorten(target, 80);
    return buildFinding('same_content_rewrite', run, {
      subject,
      count: run.length,
      description: `${subject} was written ${run.length} times with exactly the same content.`,
    });
  }
  return null;
}

/** The newest writes of one target that all carry the same known content. */
function identicalTail(writes: readonly Step[]): Step[] {
  const last = writes[writes.length - 1];
  if (last?.content === undefined) return [];
  const content = normalizeContent(last.content);
  const run: Step[] = [];
  for (let i = writes.length - 1; i >= 0; i--) {
    const write = writes[i] as Step;
    if (write.content === undefined || normalizeContent(write.content) !== content) break;
    run.unshift(write);
  }
  return run;
}

/** Content with line endings unified, so a CRLF copy counts as the same content. */
export function normalizeContent(content: string): string {
  return content.replace(/\r\n?/g, '\n');
}
