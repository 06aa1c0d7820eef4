import { canonicalize } from './canonicalize.ts';
import { remember } from './memo.ts';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import { type BigramProfile, bigramProfile, profileSimilarity } from './similarity.ts';
import { buildFinding, byLatestActivity, describeStep, groupSteps, recentSteps } from './steps.ts';
import type { LoopDetectorOptions, LoopFinding, Step } from './types.ts';

/*
 * Near-identical attempts on one target: the same tool on the same `target` (or, without a target, the
 * same tool with the same arguments apart from content fields) whose canonical arguments are pairwise
 * similar but not all identical — identical ones are exact repetition's job.
 *
 * A passed check between two attempts is progress, so it ends the cluster: writing index.html three
 * times while adding one verified section after another is healthy, not a loop. Passed checks are never
 * members of a cluster either.
 */

interface Attempt {
  step: Step;
  args: string;
  profile: BigramProfile;
}

/** At least `similarMinSteps` recent, pairwise ≥ `similarityThreshold` similar steps on one target. */
export function detectSimilarTarget(
  steps: readonly Step[],
  options: LoopDetectorOptions = DEFAULT_LOOP_OPTIONS,
): LoopFinding | null {
  const recent = recentSteps(steps, options.window);
  const passedChecks = recent.filter(isPassedCheck).map((step) => step.seq);
  const groups = groupSteps(recent, (step) => (isPassedCheck(step) ? null : targetKey(step, options)));
  for (const group of byLatestActivity(groups)) {
    const cluster = trailingCluster(group, passedChecks, options);
    if (cluster.length < options.similarMinSteps) continue;
    if (new Set(cluster.map((attempt) => attempt.args)).size < 2) continue;
    const last = cluster[cluster.length - 1] as Attempt;
    const subject = describeStep(last.step);
    const percent = Math.round(options.similarityThreshold * 100);
    return buildFinding(
      'similar_target',
      cluster.map((attempt) => attempt.step),
      {
        subject,
        count: cluster.length,
        description: `${cluster.length} nearly identical attempts at ${subject} (each pair at least ${percent}% alike).`,
      },
    );
  }
  return null;
}

/** Arguments without their content fields, per content-key list, per arguments object (computed once). */
const withoutContent = new WeakMap<readonly string[], WeakMap<object, unknown>>();

/** What makes two steps "on the same target": tool plus target, or tool plus non-content arguments. */
export function targetKey(step: Step, options: Pick<LoopDetectorOptions, 'contentKeys'>): string {
  if (step.target !== undefined) return `${step.tool}\u0000target\u0000${step.target}`;
  const args = step.args;
  const keys = options.contentKeys;
  // The same stripped object each time, so its canonical text is computed once too.
  const stripped =
    typeof args === 'object' && args !== null
      ? remember(
          remember(withoutContent, keys, () => new WeakMap()),
          args,
          () => withoutKeys(args, keys),
        )
      : args;
  return `${step.tool}\u0000args\u0000${canonicalize(stripped)}`;
}

/** The newest attempts of a group that are pairwise similar with no passed check between them, oldest first. */
function trailingCluster(
  group: readonly Step[],
  passedChecks: readonly number[],
  options: LoopDetectorOptions,
): Attempt[] {
  const cluster: Attempt[] = [];
  for (let i = group.length - 1; i >= 0; i--) {
    const step = group[i] as Step;
    const newer = cluster[0];
    if (newer && passedChecks.some((seq) => seq > step.seq && seq < newer.step.seq)) break;
    const args = canonicalize(step.args);
    const attempt = { step, args, profile: bigramProfile(args, options.similarityMaxChars) };
    const similar = cluster.every(
      (other) => profileSimilarity(attempt.profile, other.profile) >= options.similarityThreshold,
    );
    if (!similar) break;
    cluster.unshift(attempt);
  }
  return cluster;
}

/** Whether a step is a verification that passed. */
function isPassedCheck(step: Step): boolean {
  return step.check?.passed === true;
}

/** A copy of a plain object without the given top-level keys; other values unchanged. */
function withoutKeys(value: unknown, keys: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}
