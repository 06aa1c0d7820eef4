/**
 * A worker driven by a script: a pure function of the context (so a process that restarts mid-run
 * gets the same answers), plus optional usage per call. Tests count calls to prove the engine never
 * pays for one turn twice.
 */
import type { StoredEvent } from '../events/types.ts';
import type { Worker, WorkerContext, WorkerResponse, WorkerUsage } from '../worker.ts';

export type Script = (context: WorkerContext, helpers: ScriptHelpers) => unknown | Promise<unknown>;

export interface ScriptHelpers {
  /** Events of a type in the visible history. */
  events<T extends StoredEvent['type']>(type: T): Extract<StoredEvent, { type: T }>[];
  /** The last answer the owner gave (question text or approval decision), if any. */
  lastAnswer(): unknown;
}

export interface ScriptedWorker extends Worker {
  calls: WorkerContext[];
}

export function scriptedWorker(
  script: Script,
  usage?: (context: WorkerContext) => WorkerUsage | undefined,
): ScriptedWorker {
  const calls: WorkerContext[] = [];
  return {
    label: 'scripted worker',
    calls,
    async respond(context): Promise<WorkerResponse> {
      calls.push(context);
      const helpers: ScriptHelpers = {
        events: (type) => context.history.filter((event) => event.type === type) as never,
        lastAnswer: () => {
          const answers = context.history.filter((event) => event.type === 'pending_answered');
          const last = answers[answers.length - 1];
          return last?.type === 'pending_answered' ? last.payload.answer : undefined;
        },
      };
      const output = await script(context, helpers);
      const spent = usage?.(context);
      return spent ? { output, usage: spent } : { output };
    },
  };
}

/**
 * The standard notes journey: ask a topic → save it → ask approval → (approved) start writing →
 * write two notes → final. Decided from the history alone.
 */
export const notesJourney: Script = (context, { events }) => {
  const answers = events('pending_answered');
  const finished = events('tool_finished');
  const done = (tool: string) => finished.some((event) => event.payload.tool === tool && event.payload.ok);
  if (context.stage === 'intake') {
    if (answers.length === 0) {
      return events('pending_opened').length === 0
        ? {
            kind: 'tool_call',
            tool: 'ask_user',
            args: { question: 'What topic?', options: ['Cats', 'Dogs'] },
          }
        : { kind: 'escalate', reason: 'still waiting' };
    }
    if (!done('save_topic')) {
      const topic = (answers[0]?.payload.answer as { text?: string } | undefined)?.text ?? 'anything';
      return { kind: 'tool_call', tool: 'save_topic', args: { topic } };
    }
    if (!events('pending_opened').some((event) => event.payload.kind === 'approval')) {
      return {
        kind: 'tool_call',
        tool: 'request_approval',
        args: { subject: 'plan', details: { notes: 2 } },
      };
    }
    return { kind: 'tool_call', tool: 'start_writing', args: {}, say: 'Starting to write.' };
  }
  const written = finished.filter((event) => event.payload.tool === 'write_note' && event.payload.ok).length;
  if (written < 2) {
    return {
      kind: 'tool_call',
      tool: 'write_note',
      args: { name: `note-${written + 1}`, text: `Note ${written + 1}` },
    };
  }
  return { kind: 'final', summary: 'Two notes written.' };
};
