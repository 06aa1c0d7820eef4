/**
 * A notes journey that needs no owner input: move to the writing stage, write `count` notes, finish.
 * Like every script it is a pure function of the context, so a process restarted mid-run (the kill
 * test, the resume benchmark) gets exactly the answers the killed one would have got.
 */
import type { EngineLimits } from '../engine.ts';
import type { Script } from './scripted-worker.ts';

/** Limits the journey runs under: no owner input for many turns, and no money spent. */
export const autonomousLimits: Partial<EngineLimits> = { turnCap: 1_000, spendCapUsd: null };

/** The text of note `index` of a project: what the file must contain after the run. */
export function autonomousNoteText(projectId: string, index: number): string {
  return `Note ${index} of ${projectId}\n`;
}

export function autonomousNoteName(index: number): string {
  return `note-${index}`;
}

export function autonomousJourney(count: number): Script {
  return (context, { events }) => {
    if (context.stage === 'intake') return { kind: 'tool_call', tool: 'start_writing', args: {} };
    const written = new Set(
      events('tool_finished')
        .filter((event) => event.payload.tool === 'write_note' && event.payload.ok)
        .map((event) => (event.payload.data as { written: string }).written),
    );
    for (let index = 1; index <= count; index++) {
      const name = autonomousNoteName(index);
      if (!written.has(name)) {
        return {
          kind: 'tool_call',
          tool: 'write_note',
          args: { name, text: autonomousNoteText(context.projectId, index) },
        };
      }
    }
    return { kind: 'final', summary: `${count} notes written.` };
  };
}
