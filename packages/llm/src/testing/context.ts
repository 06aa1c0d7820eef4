/** Builders for worker contexts and synthetic event histories in tests. */
import type { EventDraft, StoredEvent, WorkerContext } from '@sitewright/engine';

export const TEST_PROJECT = '00000000-0000-4000-8000-000000000001';

/** Stores drafts as events with contiguous seqs. */
export function storedEvents(drafts: EventDraft[], firstSeq = 1): StoredEvent[] {
  return drafts.map(
    (draft, i) =>
      ({
        ...draft,
        seq: firstSeq + i,
        projectId: TEST_PROJECT,
        actor: draft.actor ?? 'worker',
        createdAt: new Date(0),
        supersededBySeq: null,
      }) as StoredEvent,
  );
}

/** One complete worker step: output, tool intent, tool result. */
export function syntheticStep(step: number, firstSeq: number, content = 'x'.repeat(400)): StoredEvent[] {
  const callId = `c${step}`;
  return storedEvents(
    [
      {
        type: 'worker_output',
        payload: {
          turn: step,
          envelope: { kind: 'tool_call', tool: 'write_file', args: { path: `page-${step}.html`, content } },
          costUsd: 0.01,
        },
      },
      {
        type: 'tool_started',
        payload: {
          callId,
          tool: 'write_file',
          args: { path: `page-${step}.html` },
          repeatable: true,
          outputSeq: firstSeq,
        },
      },
      {
        type: 'tool_finished',
        payload: {
          callId,
          tool: 'write_file',
          ok: true,
          data: { written: `page-${step}.html`, bytes: content.length },
        },
      },
    ],
    firstSeq,
  );
}

export function testContext(overrides: Partial<WorkerContext> = {}): WorkerContext {
  return {
    projectId: TEST_PROJECT,
    stage: 'build',
    lifecycleState: 'coding',
    turn: 1,
    systemPrompt: 'You build small websites. Use the tools.',
    tools: [
      {
        name: 'write_file',
        description: 'Write a file in the site.',
        parameters: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: { path: { type: 'string' }, content: { type: 'string' } },
          required: ['path', 'content'],
        },
      },
    ],
    history: storedEvents([
      { type: 'owner_message', payload: { text: 'Build my bakery site.' }, actor: 'owner' },
    ]),
    summary: {
      brief: { name: 'Bakery Rosa', pages: ['home', 'menu'] },
      currentItem: { id: 3, name: 'Menu page' },
    },
    ...overrides,
  };
}
