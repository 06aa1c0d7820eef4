/**
 * The website flow (A's stages): bootstrap (brief Q&A) → brief approval → mockup → mockup approval →
 * planning (initializer) → build (coding loop, bug fixes) → audit (intent) → done. Owner messages, new
 * specs, feature requests and bug reports re-enter at planning or build.
 */
import type { StageDefinition } from '@sitewright/engine';
import { workItemToolNames } from '@sitewright/engine';

export const Stage = {
  bootstrap: 'bootstrap',
  mockup: 'mockup',
  planning: 'planning',
  build: 'build',
  audit: 'audit',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

const ask = ['ask_user', 'request_approval'] as const;
const files = ['read_file', 'write_file', 'list_files', 'delete_file'] as const;

export const stages: Record<Stage, StageDefinition> = {
  bootstrap: {
    role: 'chat',
    lifecycle: 'initializing',
    tools: [...ask, 'save_business_brief', 'go_to_stage'],
  },
  mockup: {
    role: 'chat',
    lifecycle: 'initializing',
    tools: [...ask, 'save_business_brief', 'render_mockup', 'go_to_stage'],
  },
  planning: {
    role: 'code',
    lifecycle: 'planning',
    tools: [
      'ask_user',
      'work_item_create_bulk',
      'work_item_stats',
      'work_item_add_dependency',
      'go_to_stage',
    ],
  },
  build: {
    role: 'code',
    lifecycle: 'coding',
    tools: ['ask_user', ...files, 'browser_check', 'check_intent', ...workItemToolNames, 'go_to_stage'],
  },
  audit: {
    role: 'chat',
    lifecycle: 'verifying',
    tools: [
      'ask_user',
      'read_file',
      'list_files',
      'browser_check',
      'check_intent',
      'work_item_stats',
      'go_to_stage',
    ],
  },
};

/** Allowed moves between stages (preconditions are checked by `go_to_stage`). */
export const stageMoves: Record<Stage, readonly Stage[]> = {
  bootstrap: ['mockup'],
  mockup: ['bootstrap', 'planning'],
  planning: ['build'],
  build: ['planning', 'audit'],
  audit: ['build', 'planning'],
};
