import type { LoopDetectorOptions } from './types.ts';

/** The thresholds SPEC §3 names, plus the window and comparison bounds. */
export const DEFAULT_LOOP_OPTIONS: LoopDetectorOptions = Object.freeze({
  window: 20,
  exactRepetitions: 5,
  patternMinLength: 2,
  patternMaxLength: 10,
  patternRepetitions: 3,
  similarityThreshold: 0.85,
  similarMinSteps: 3,
  similarityMaxChars: 10_000,
  errorRepetitions: 3,
  errorWindow: 10,
  sameResultRepetitions: 4,
  alternationLength: 6,
  rewriteRepetitions: 3,
  checkFailingEdits: 3,
  contentKeys: Object.freeze([
    'content',
    'contents',
    'text',
    'body',
    'html',
    'css',
    'code',
    'source',
    'data',
    'patch',
    'diff',
    'old_string',
    'new_string',
    'oldText',
    'newText',
    'replacement',
    'value',
  ]),
});

/** Fills unset (or `undefined`) overrides with the defaults. */
export function resolveLoopOptions(overrides: Partial<LoopDetectorOptions> = {}): LoopDetectorOptions {
  const set = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_LOOP_OPTIONS, ...Object.fromEntries(set) };
}
