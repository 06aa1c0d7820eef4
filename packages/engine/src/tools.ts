/**
 * Tools are how a worker acts. The engine owns the single dispatch choke point (allowlist → registry
 * → argument schema → run in try/catch); domain packs supply definitions. A tool returns data for the
 * worker plus *effects* the engine applies as events (asking the owner, changing stage, …), so tools
 * never write the log themselves.
 */
import type { z } from 'zod';
import type { LifecycleState } from './machine/index.ts';
import type { SpendMeter } from './spend.ts';

/** Domain hints for the loop detector about what a step touched. */
export interface StepHints {
  target?: string;
  content?: string;
  isEdit?: boolean;
  check?: { name: string; passed: boolean };
}

export type ToolEffect =
  | { type: 'ask_user'; question: string; options?: string[] }
  | { type: 'request_approval'; subject: string; details?: unknown }
  | { type: 'set_stage'; stage: string }
  | { type: 'transition'; to: LifecycleState; reason: string }
  | { type: 'save_brief'; brief: unknown }
  | { type: 'say'; text: string }
  | { type: 'domain_event'; name: string; data: unknown };

export interface ToolResult {
  /** What the worker sees as the tool's answer. */
  data?: unknown;
  effects?: ToolEffect[];
  hints?: StepHints;
}

export interface ToolContext {
  projectId: string;
  stage: string;
  signal: AbortSignal;
  /** A tool that calls a model reserves each call's worst case through this first (the caps are hard). */
  spend: SpendMeter;
  /** The driving runner's fencing token: tools that append events must pass it on. */
  fencingToken?: number;
  /** The driving runner (e.g. who claims a work item). */
  runnerId?: string;
}

export interface ToolDefinition<Args = unknown> {
  name: string;
  description: string;
  args: z.ZodType<Args>;
  /**
   * Safe to run again after an interruption between its intent and result events (pure reads,
   * content-addressed writes). A non-repeatable tool interrupted mid-way surfaces "outcome unknown".
   */
  repeatable: boolean;
  /**
   * Changes nothing outside the log: it only reads (any effects it returns are the engine's to record).
   * Requires `repeatable`. Such a tool runs before its intent is stored; when it finishes at once, its
   * whole step is one commit, and when the project moved on meanwhile its result is let go and the
   * stored answer is acted on later, as for any tool.
   */
  readOnly?: boolean;
  /** Take an automatic snapshot before running it (deletions, bulk rewrites). */
  risky?: boolean;
  /** Run the post-write hook chain after this tool succeeds. */
  runsHooks?: boolean;
  run(context: ToolContext, args: Args): Promise<ToolResult>;
}

/** Helps TypeScript infer `Args` from the schema. */
export function defineTool<Args>(definition: ToolDefinition<Args>): ToolDefinition<Args> {
  return definition;
}

/** A tool's failure the worker should see as data (and act on), not a crash. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}
