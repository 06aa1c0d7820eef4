/** One executed tool call as the engine reads it back from the event log (oldest first in every array). */
export interface Step {
  /** Event sequence number of the step's result (ascending in the array). */
  seq: number;
  /** Tool name. */
  tool: string;
  /** Tool arguments as the model gave them (JSON). */
  args: unknown;
  outcome: 'ok' | 'error';
  /** Tool result data when ok (JSON). */
  result?: unknown;
  /** Error message when outcome is 'error'. */
  error?: string;
  /** Optional domain hint: what the action touched (e.g. a file path). */
  target?: string;
  /** Optional domain hint: content written (e.g. file content). */
  content?: string;
  /** Optional domain hint: the step changed something (a write). */
  isEdit?: boolean;
  /** Optional domain hint: a verification was run. */
  check?: { name: string; passed: boolean };
  /** What the model call behind this step cost (for reporting). */
  costUsd?: number;
}

/** The heuristic that recognised a loop. */
export type LoopKind =
  | 'exact_repetition'
  | 'pattern_repetition'
  | 'similar_target'
  | 'error_loop'
  | 'same_result'
  | 'alternation'
  | 'same_content_rewrite'
  | 'check_still_failing';

/** A detected loop: enough to nudge the worker, raise the `loop_detected` alarm and show the owner. */
export interface LoopFinding {
  kind: LoopKind;
  /** Plain English: what repeated and how often. */
  description: string;
  /** Short plain name of what repeated, e.g. `write file (index.html)`; used by the message helpers. */
  subject: string;
  /** How many times it repeated (repetitions, failures or attempts, depending on the kind). */
  count: number;
  /** Sequence numbers of all steps involved inside the window, ascending (later findings add new seqs). */
  seqs: number[];
  /** Sum of `costUsd` of those steps. */
  costUsd: number;
}

/** Thresholds of every heuristic; `DEFAULT_LOOP_OPTIONS` holds the defaults. */
export interface LoopDetectorOptions {
  /** How many of the most recent steps every heuristic looks at. */
  window: number;
  /** Identical actions in a row at the end of the window that make an exact repetition. */
  exactRepetitions: number;
  /** Shortest repeated sequence the pattern heuristic looks for. */
  patternMinLength: number;
  /** Longest repeated sequence the pattern heuristic looks for. */
  patternMaxLength: number;
  /** Consecutive repetitions of a sequence at the end of the window that make a pattern. */
  patternRepetitions: number;
  /** Minimum pairwise similarity (0–1) of arguments on the same target. */
  similarityThreshold: number;
  /** Similar-but-not-identical steps on one target that make a loop. */
  similarMinSteps: number;
  /** Characters of canonical arguments compared at most (head and tail of longer ones). */
  similarityMaxChars: number;
  /** Identical errors that make an error loop… */
  errorRepetitions: number;
  /** …within this many most recent steps. */
  errorWindow: number;
  /** Times the same action may return the same result before it is a loop. */
  sameResultRepetitions: number;
  /** Length of the A B A B … tail that makes an alternation. */
  alternationLength: number;
  /** Writes of identical content to one target (the first included) that make a loop. */
  rewriteRepetitions: number;
  /** Different edits, each followed by the same check failing, that make a loop. */
  checkFailingEdits: number;
  /** Top-level argument keys that hold written content (ignored when grouping steps without a target). */
  contentKeys: readonly string[];
}

/** A single heuristic: a pure function over recent steps. */
export type LoopHeuristic = (steps: readonly Step[], options?: LoopDetectorOptions) => LoopFinding | null;
