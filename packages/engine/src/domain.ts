/**
 * What a domain pack gives the engine. The engine knows nothing about websites: stages, tools, hooks,
 * gates and prompts all come from here.
 */
import type { DbOrTx } from './events/log.ts';
import type { Criterion, StoredEvent } from './events/types.ts';
import type { LifecycleState } from './machine/index.ts';
import type { ToolDefinition } from './tools.ts';

export interface StageDefinition {
  /** Tools the worker may call in this stage (the per-stage allowlist). */
  tools: readonly string[];
  /** Which worker role serves this stage (e.g. `chat`, `code`); chooses the model. */
  role: string;
  /** The lifecycle state the project is in while in this stage. */
  lifecycle: LifecycleState;
}

export interface DomainContext {
  db: DbOrTx;
  projectId: string;
  stage: string;
}

export interface HookResult {
  ok: boolean;
  detail?: string;
}

/** Runs after every successful tool marked `runsHooks`; a failing hook never stops the chain. */
export interface PostHook {
  name: string;
  run(context: DomainContext & { tool: string; args: unknown; result: unknown }): Promise<HookResult>;
}

export interface GateDefinition {
  name: string;
  /** Returns null when the gate does not apply yet (nothing to evaluate). */
  evaluate(
    context: DomainContext & { events: StoredEvent[] },
  ): Promise<{ passed: boolean; criteria: Criterion[] } | null>;
}

export interface DomainPack {
  name: string;
  initialStage: string;
  stages: Record<string, StageDefinition>;
  // biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of different argument types.
  tools: ToolDefinition<any>[];
  hooks?: PostHook[];
  gates?: GateDefinition[];
  /** The system prompt for the stage. */
  systemPrompt(context: DomainContext & { summary: Record<string, unknown> }): Promise<string> | string;
  /**
   * After a rewind, its undo, or a rollback: bring domain state outside the database (e.g. the site
   * repository) back in line with the active log, which now ends at `atSeq`. For a rollback `ref` is
   * the snapshot's reference.
   */
  onHistoryChanged?(
    context: DomainContext & {
      reason: 'rewind' | 'undo_rewind' | 'rollback';
      atSeq: number;
      events: StoredEvent[];
      ref?: string | null;
    },
  ): Promise<void>;
  /** A reference to the domain's own state for snapshots (e.g. the site repository's HEAD commit). */
  snapshotRef?(context: DomainContext): Promise<string | null>;
  /** What the worker must always see (brief, current item, …). */
  summary?(context: DomainContext): Promise<Record<string, unknown>>;
}
