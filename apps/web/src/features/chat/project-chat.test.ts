import type { ProjectEvent } from '@sitewright/contracts';
import { describe, expect, it } from 'vitest';
import { formatDays, readableBrief } from './brief-view.ts';
import { type ChatItem, chatItems, lastRewindable, latestMockup, withoutOpen } from './project-chat.ts';

let seq = 0;
function event(type: string, payload: unknown, overrides: Partial<ProjectEvent> = {}): ProjectEvent {
  seq += 1;
  return {
    seq,
    type,
    payload,
    actor: 'system',
    createdAt: '2025-01-01T00:00:00.000Z',
    superseded: false,
    ...overrides,
  };
}

function reset() {
  seq = 0;
}

/** The items as short lines, so a test reads like the chat. */
function lines(items: ChatItem[]): string[] {
  return items.map(line);
}

function line(item: ChatItem): string {
  switch (item.kind) {
    case 'agent':
      return `agent: ${item.text}`;
    case 'owner':
      return `you: ${item.text}`;
    case 'ask':
      return `ask(${item.pendingKind}, ${item.state}): ${[item.title, item.text].filter(Boolean).join(' — ')}`;
    case 'answer':
      return `answer${item.rewindable ? '' : ' (final)'}: ${item.text}`;
    case 'divider':
      return `— ${item.text} —`;
    case 'notice':
      return `[${item.tone}] ${item.text}`;
    case 'set_aside':
      return `set aside: ${lines(item.items).join(' | ')}`;
  }
}

const question = (pendingId: string, text: string, options: string[] | null = null) =>
  event('pending_opened', { pendingId, kind: 'question', question: text, options });
const answer = (pendingId: string, value: unknown) =>
  event('pending_answered', { pendingId, answer: value }, { actor: 'owner' });

describe('chatItems', () => {
  it('shows questions, answers in words, messages and stage dividers', () => {
    reset();
    const events = [
      event('project_created', { name: 'Pizzeria', stage: 'bootstrap' }),
      event('run_status_changed', {
        status: 'running',
        pausedReason: null,
        resumeAt: null,
        cause: 'created',
      }),
      question('q1', 'What is the name of your business?', ['Pizzeria']),
      event('run_status_changed', {
        status: 'awaiting_human',
        pausedReason: null,
        resumeAt: null,
        cause: 'x',
      }),
      answer('q1', { text: 'Maria’s Pizzeria' }),
      event('agent_message', { text: 'Thanks — here is the brief.' }),
      event('pending_opened', { pendingId: 'a1', kind: 'approval', subject: 'brief', details: {} }),
      answer('a1', { approved: false, notes: 'Phone is wrong' }),
      event('pending_opened', { pendingId: 'a2', kind: 'approval', subject: 'brief', details: {} }),
      answer('a2', { approved: true, notes: '' }),
      event('stage_changed', { from: 'mockup', to: 'planning' }),
      event('owner_message', { text: 'Add a catering page please' }, { actor: 'owner' }),
    ];
    expect(lines(chatItems(events))).toEqual([
      '— Getting to know your business —',
      'ask(question, answered): What is the name of your business?',
      'answer: Maria’s Pizzeria',
      'agent: Thanks — here is the brief.',
      'ask(approval, answered): Please review the brief',
      'answer: Asked for changes: Phone is wrong',
      'ask(approval, answered): Please review the brief',
      'answer: Approved',
      '— Planning the site —',
      'you: Add a catering page please',
    ]);
  });

  it('explains a continuation in plain words and records the choice as final', () => {
    reset();
    const events = [
      event('alarm_raised', {
        alarmId: 'x',
        type: 'turn_cap_reached',
        severity: 'warning',
        message: 'The agent has taken 40 steps since your last input.',
        context: {},
        recommendedAction: '',
        autoResolve: true,
      }),
      event('pending_opened', {
        pendingId: 'c1',
        kind: 'continuation',
        reason: 'turn_cap',
        question: 'The agent has taken 40 steps since you last weighed in. Continue?',
        options: ['continue', 'stop'],
      }),
      answer('c1', { choice: 'continue' }),
    ];
    const items = chatItems(events);
    expect(lines(items)).toEqual([
      'ask(continuation, answered): I’ve worked for a while without hearing from you — The agent has taken 40 steps since you last weighed in. Continue?',
      'answer (final): Continue',
    ]);
    expect(lastRewindable(items)).toBeNull();
  });

  it('shows alarms as notices and the run pausing and resuming', () => {
    reset();
    const events = [
      event('run_status_changed', { status: 'running', pausedReason: null, resumeAt: null, cause: 'start' }),
      event('alarm_raised', {
        alarmId: 'a',
        type: 'rate_limited',
        severity: 'error',
        message: 'The AI provider is rate limiting requests.',
        context: { raw: { status: 429 } },
        recommendedAction: 'Wait.',
        autoResolve: true,
      }),
      event('run_status_changed', { status: 'paused', pausedReason: 'user', resumeAt: null, cause: 'owner' }),
      event('run_status_changed', { status: 'running', pausedReason: null, resumeAt: null, cause: 'resume' }),
      event('run_status_changed', { status: 'completed', pausedReason: null, resumeAt: null, cause: 'done' }),
    ];
    expect(lines(chatItems(events))).toEqual([
      '[error] The AI provider is rate limiting requests.',
      '[info] You paused the agent.',
      '[info] The agent is working again.',
      '[info] All done.',
    ]);
  });

  it('folds what a rewind set aside and names the question it went back to', () => {
    reset();
    const events = [
      question('q1', 'Name?'),
      answer('q1', { text: 'First' }),
      question('q2', 'Industry?', ['Restaurant']),
      answer('q2', { text: 'Restaurant' }),
      question('q3', 'Description?'),
    ];
    for (const e of events.slice(1)) e.superseded = true;
    events.push(event('rewound', { toSeq: 1, cutSeq: 1, superseded: 4 }, { actor: 'owner' }));
    const items = chatItems(events);
    expect(lines(items)).toEqual([
      'ask(question, open): Name?',
      'set aside: answer: First | ask(question, answered): Industry? | answer: Restaurant | ask(question, open): Description?',
      '[info] You went back to: Name?',
    ]);
    // The reopened question is a card, not a history line; the set-aside answers cannot be rewound.
    expect(lines(withoutOpen(items, new Set(['q1'])))[0]).toMatch(/^set aside/);
    expect(lastRewindable(items)).toBeNull();
  });

  it('offers the newest active answer for rewinding, with the seq of its question', () => {
    reset();
    const events = [
      question('q1', 'Name?'),
      answer('q1', { text: 'A' }),
      question('q2', 'Phone?'),
      answer('q2', { text: 'B' }),
    ];
    expect(lastRewindable(chatItems(events))).toMatchObject({ askedSeq: 3, question: 'Phone?', text: 'B' });
  });

  it('never shows raw data: unknown events and unexpected shapes are skipped', () => {
    reset();
    const events = [
      event('worker_output', { turn: 1, envelope: { kind: 'tool_call', tool: 'ask_user', args: {} } }),
      event('tool_started', { callId: 'c', tool: 'write_file', args: { path: 'index.html' } }),
      event('domain', { name: 'mockup_rendered', data: { html: '<p>hi</p>' } }),
      event('agent_message', { text: { nested: true } }),
      question('q1', 'Name?'),
      answer('q1', { unexpected: ['shape'] }),
      event('brand_new_event_type', { text: 'hello' }),
    ];
    const text = JSON.stringify(lines(chatItems(events)));
    expect(lines(chatItems(events))).toEqual(['ask(question, open): Name?']);
    expect(text).not.toContain('{');
  });

  it('marks a withdrawn question and keeps owner text as written', () => {
    reset();
    const payload = '<img src=x onerror=alert(1)>';
    const events = [
      question('q1', 'Name?'),
      event('pending_cancelled', { pendingId: 'q1', why: 'rewound' }),
      event('owner_message', { text: payload }),
    ];
    expect(lines(chatItems(events))).toEqual(['ask(question, cancelled): Name?', `you: ${payload}`]);
  });
});

describe('latestMockup', () => {
  it('finds the newest active mockup before an approval', () => {
    reset();
    const events = [
      event('domain', { name: 'mockup_rendered', data: { html: '<p>one</p>', wireframe: 'one' } }),
      event(
        'domain',
        { name: 'mockup_rendered', data: { html: '<p>two</p>', wireframe: 'two' } },
        { superseded: true },
      ),
      event('domain', { name: 'other', data: {} }),
      event('pending_opened', { pendingId: 'm', kind: 'approval', subject: 'mockup' }),
      event('domain', { name: 'mockup_rendered', data: { html: '<p>three</p>', wireframe: 'three' } }),
    ];
    expect(latestMockup(events, 4)).toEqual({ seq: 1, html: '<p>one</p>', wireframe: 'one' });
    expect(latestMockup(events)?.html).toBe('<p>three</p>');
  });
});

describe('readableBrief', () => {
  it('lists the brief as labelled facts in plain words', () => {
    const brief = readableBrief({
      businessName: 'Maria’s Pizzeria',
      industry: 'restaurant',
      description: 'Wood-fired pizza.',
      services: [{ name: 'Margherita', price: '€9' }, { name: 'Catering' }],
      tone: 'friendly',
      contact: {
        phone: '+39 055 123',
        address: { street: 'Via Roma 1', locality: 'Florence', country: 'Italy' },
      },
      hours: [{ days: ['Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'], opens: '12:00', closes: '22:00' }],
      social: [],
      colors: { primary: '#c0392b', accent: 'red; background:url(x)' },
      language: 'en',
    });
    expect(brief?.facts).toEqual([
      { label: 'Business name', lines: ['Maria’s Pizzeria'] },
      { label: 'Kind of business', lines: ['Restaurant'] },
      { label: 'What you offer', lines: ['Wood-fired pizza.'] },
      { label: 'Services or products', lines: ['Margherita – €9', 'Catering'] },
      { label: 'Tone', lines: ['Friendly'] },
      { label: 'Phone', lines: ['+39 055 123'] },
      { label: 'Address', lines: ['Via Roma 1, Florence, Italy'] },
      { label: 'Opening hours', lines: ['Tue–Sun 12:00–22:00'] },
    ]);
    // Only real colour codes reach a style attribute.
    expect(brief?.colours).toEqual([{ label: 'Main colour', hex: '#c0392b' }]);
  });

  it('is null for data that is not a brief', () => {
    expect(readableBrief('just text')).toBeNull();
    expect(readableBrief({})).toBeNull();
  });

  it('groups consecutive days into ranges', () => {
    expect(formatDays(['Mo', 'Tu', 'We', 'Fr'])).toBe('Mon–Wed, Fri');
    expect(formatDays(['Sa'])).toBe('Sat');
    expect(formatDays([])).toBe('');
  });
});
