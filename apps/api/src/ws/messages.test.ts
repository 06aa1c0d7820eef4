import { ServerMessage } from '@sitewright/contracts';
import type { EventDraft, StoredEvent } from '@sitewright/engine';
import { describe, expect, it } from 'vitest';
import { eventFrame, logLine } from './messages.ts';

function stored(draft: EventDraft, seq = 7): StoredEvent {
  return {
    ...draft,
    seq,
    projectId: '00000000-0000-4000-8000-000000000001',
    actor: 'worker',
    createdAt: new Date('2025-01-01T00:00:00Z'),
    supersededBySeq: null,
  } as StoredEvent;
}

describe('logLine', () => {
  it.each<[EventDraft, 'info' | 'warn' | 'error', string]>([
    [
      {
        type: 'tool_started',
        payload: { callId: 'c', tool: 'write_file', args: {}, repeatable: true, outputSeq: 1 },
      },
      'info',
      'Running write_file.',
    ],
    [
      { type: 'tool_finished', payload: { callId: 'c', tool: 'write_file', ok: true } },
      'info',
      'write_file finished.',
    ],
    [
      {
        type: 'tool_finished',
        payload: { callId: 'c', tool: 'write_file', ok: false, error: 'Path\n outside  the site' },
      },
      'warn',
      'write_file failed: Path outside the site',
    ],
    [
      { type: 'tool_outcome_unknown', payload: { callId: 'c', tool: 'git_commit' } },
      'warn',
      'git_commit was interrupted; its outcome is unknown.',
    ],
    [
      { type: 'hook_finished', payload: { hook: 'seo', ok: false, detail: 'missing title' } },
      'warn',
      'Check seo failed: missing title',
    ],
    [{ type: 'hook_finished', payload: { hook: 'validate', ok: true } }, 'info', 'Check validate passed.'],
    [
      { type: 'gate_evaluated', payload: { name: 'brief', passed: true, criteria: [] } },
      'info',
      'Gate brief passed.',
    ],
    [
      { type: 'worker_failed', payload: { kind: 'rate_limited', message: 'slow down' } },
      'error',
      'The model call failed (rate_limited): slow down',
    ],
  ])('%o', (draft, level, message) => {
    expect(logLine(stored(draft))).toEqual({ type: 'log', seq: 7, level, message });
  });

  it('cuts long details to one short line', () => {
    const line = logLine(
      stored({ type: 'worker_failed', payload: { kind: 'x', message: 'y'.repeat(5000) } }),
    );
    expect(line?.message.length).toBeLessThan(400);
    expect(line?.message.endsWith('…')).toBe(true);
  });

  it('says nothing for events that are not agent activity', () => {
    expect(logLine(stored({ type: 'owner_message', payload: { text: 'hi' } }))).toBeNull();
  });
});

describe('eventFrame', () => {
  it('is a valid event message with the superseded mark', () => {
    const frame = eventFrame({
      ...stored({ type: 'owner_message', payload: { text: 'hi' } }, 3),
      supersededBySeq: 9,
    });
    expect(frame).toMatchObject({ seq: 3, isEvent: true });
    const message = ServerMessage.parse(JSON.parse(frame.data.toString()));
    expect(message).toEqual({
      type: 'event',
      seq: 3,
      event: {
        seq: 3,
        type: 'owner_message',
        payload: { text: 'hi' },
        actor: 'worker',
        createdAt: '2025-01-01T00:00:00.000Z',
        superseded: true,
      },
    });
  });
});
