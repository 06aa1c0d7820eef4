/**
 * The chat as a projection of the project's event log: what the agent asked and said, what the owner
 * answered and wrote, stage changes and notices — in words, never as data. Events hidden by a rewind
 * are folded into "set aside" groups so the chat reads as the active history. Unknown event types and
 * shapes are skipped: a payload the chat does not understand is never shown raw.
 */
import type { ProjectEvent } from '@sitewright/contracts';
import { z } from 'zod';
import { approvalTitle, choiceLabel, continuationTitle, runStatusNotice, stageLabel } from './chat-words.ts';

export type PendingKind = 'question' | 'approval' | 'continuation';

interface ItemBase {
  /** Stable React key. */
  key: string;
  seq: number;
  /** Hidden by a rewind: kept for the record, never interactive. */
  superseded: boolean;
}

export type ChatItem =
  | (ItemBase & { kind: 'agent'; text: string })
  | (ItemBase & { kind: 'owner'; text: string })
  | (ItemBase & {
      kind: 'ask';
      pendingId: string;
      pendingKind: PendingKind;
      /** A heading for approvals and continuations ("Please review the brief"). */
      title: string | null;
      /** The question in the agent's words (may be empty for approvals). */
      text: string;
      options: string[];
      subject: string | null;
      details: unknown;
      state: 'open' | 'answered' | 'cancelled';
    })
  | (ItemBase & {
      kind: 'answer';
      pendingId: string;
      pendingKind: PendingKind;
      /** The seq of the question it answers: where "Answer differently" rewinds to. */
      askedSeq: number;
      /** The question, as the rewind confirmation names it. */
      question: string;
      text: string;
      /** Questions and approvals can be asked again; continuation choices cannot. */
      rewindable: boolean;
    })
  | (ItemBase & { kind: 'divider'; text: string })
  | (ItemBase & { kind: 'notice'; tone: 'info' | 'warning' | 'error'; text: string })
  | { kind: 'set_aside'; key: string; seq: number; superseded: true; items: ChatItem[] };

// Lenient readers of the payloads the chat shows; anything else fails to parse and is skipped.
// `worker_output` is not read: the prose of an envelope (a tool call's `say`, a final `summary`, an
// escalation's `reason`) reaches the log as its own agent_message or question, so it would show twice.
const text = z.string().trim().min(1);
const Payloads = {
  project_created: z.object({ stage: z.string() }),
  stage_changed: z.object({ to: z.string() }),
  agent_message: z.object({ text }),
  owner_message: z.object({ text }),
  pending_opened: z.object({
    pendingId: z.string(),
    kind: z.enum(['question', 'approval', 'continuation']),
    question: z.string().nullish(),
    options: z.array(z.string()).nullish(),
    subject: z.string().nullish(),
    details: z.unknown().optional(),
    reason: z.string().nullish(),
  }),
  pending_answered: z.object({ pendingId: z.string(), answer: z.unknown() }),
  pending_cancelled: z.object({ pendingId: z.string() }),
  alarm_raised: z.object({ type: z.string(), severity: z.string(), message: text }),
  run_status_changed: z.object({ status: z.string(), pausedReason: z.string().nullish() }),
  rewound: z.object({ toSeq: z.number() }),
  rewind_undone: z.object({}),
  board_restored: z.object({ name: z.string() }),
};

const QuestionAnswer = z.object({ text: z.string() });
const ApprovalAnswer = z.object({ approved: z.boolean(), notes: z.string().nullish() });
const ContinuationAnswer = z.object({ choice: z.string() });

/**
 * Alarms that open a continuation card in the same step: the card says it in the owner's words, so
 * the notice would repeat it. Failed tool calls are the agent's to retry (the activity feed lists them).
 */
const alarmsShownElsewhere = new Set([
  'turn_cap_reached',
  'spend_cap_reached',
  'loop_detected',
  'repeated_failures',
  'tool_failed',
]);

function answerText(kind: PendingKind, answer: unknown): string | null {
  if (kind === 'question') {
    const parsed = QuestionAnswer.safeParse(answer);
    return parsed.success ? parsed.data.text : null;
  }
  if (kind === 'approval') {
    const parsed = ApprovalAnswer.safeParse(answer);
    if (!parsed.success) return null;
    if (parsed.data.approved) return 'Approved';
    const notes = parsed.data.notes?.trim();
    return notes ? `Asked for changes: ${notes}` : 'Asked for changes';
  }
  const parsed = ContinuationAnswer.safeParse(answer);
  return parsed.success ? choiceLabel(parsed.data.choice) : null;
}

type AskItem = Extract<ChatItem, { kind: 'ask' }>;
/** An item's own fields: `push` adds the key, seq and superseded flag of its event. */
type OwnFields<Item> = Item extends ChatItem ? Omit<Item, keyof ItemBase> : never;
type ItemFields = OwnFields<ChatItem>;

/** The chat's items, oldest first, from the project's events (in seq order, superseded ones included). */
export function chatItems(events: readonly ProjectEvent[]): ChatItem[] {
  const flat: ChatItem[] = [];
  const asks = new Map<string, AskItem>();
  const asksBySeq = new Map<number, AskItem>();
  // Before the first status change: the start itself is no news.
  let runStatus = 'new';

  const push = (event: ProjectEvent, item: ItemFields) => {
    flat.push({ ...item, key: `e${event.seq}`, seq: event.seq, superseded: event.superseded } as ChatItem);
  };

  for (const event of events) {
    if (!(event.type in Payloads)) continue;
    const parsed = Payloads[event.type as keyof typeof Payloads].safeParse(event.payload);
    if (!parsed.success) continue;
    const data = parsed.data;

    switch (event.type) {
      case 'project_created':
        push(event, { kind: 'divider', text: stageLabel((data as { stage: string }).stage) });
        break;
      case 'stage_changed':
        push(event, { kind: 'divider', text: stageLabel((data as { to: string }).to) });
        break;
      case 'agent_message':
        push(event, { kind: 'agent', text: (data as { text: string }).text });
        break;
      case 'owner_message':
        push(event, { kind: 'owner', text: (data as { text: string }).text });
        break;
      case 'pending_opened': {
        const opened = data as z.infer<typeof Payloads.pending_opened>;
        const title =
          opened.kind === 'approval'
            ? approvalTitle(opened.subject)
            : opened.kind === 'continuation'
              ? continuationTitle(opened.reason)
              : null;
        const ask: AskItem = {
          kind: 'ask',
          key: `e${event.seq}`,
          seq: event.seq,
          superseded: event.superseded,
          pendingId: opened.pendingId,
          pendingKind: opened.kind,
          title,
          text: opened.question?.trim() ?? '',
          options: opened.options ?? [],
          subject: opened.subject ?? null,
          details: opened.details ?? null,
          state: 'open',
        };
        if (!ask.title && !ask.text) break;
        flat.push(ask);
        asks.set(ask.pendingId, ask);
        asksBySeq.set(ask.seq, ask);
        break;
      }
      case 'pending_answered': {
        const answered = data as z.infer<typeof Payloads.pending_answered>;
        const ask = asks.get(answered.pendingId);
        if (!ask) break;
        const words = answerText(ask.pendingKind, answered.answer);
        if (words === null) break;
        // An active question counts only active answers: one set aside by a rewind leaves it open.
        if (!event.superseded || ask.superseded) ask.state = 'answered';
        push(event, {
          kind: 'answer',
          pendingId: ask.pendingId,
          pendingKind: ask.pendingKind,
          askedSeq: ask.seq,
          question: ask.text || ask.title || '',
          text: words,
          rewindable: ask.pendingKind !== 'continuation',
        });
        break;
      }
      case 'pending_cancelled': {
        const ask = asks.get((data as { pendingId: string }).pendingId);
        if (ask && (!event.superseded || ask.superseded)) ask.state = 'cancelled';
        break;
      }
      case 'alarm_raised': {
        const alarm = data as z.infer<typeof Payloads.alarm_raised>;
        if (alarmsShownElsewhere.has(alarm.type)) break;
        push(event, {
          kind: 'notice',
          tone: alarm.severity === 'warning' ? 'warning' : 'error',
          text: alarm.message,
        });
        break;
      }
      case 'run_status_changed': {
        const change = data as z.infer<typeof Payloads.run_status_changed>;
        const notice = runStatusNotice(change.status, change.pausedReason, runStatus);
        if (!event.superseded) runStatus = change.status;
        if (notice) push(event, { kind: 'notice', ...notice });
        break;
      }
      case 'rewound': {
        const ask = asksBySeq.get((data as { toSeq: number }).toSeq);
        const question = ask ? ask.text || ask.title : null;
        push(event, {
          kind: 'notice',
          tone: 'info',
          text: question ? `You went back to: ${question}` : 'You went back to an earlier question.',
        });
        break;
      }
      case 'rewind_undone':
        push(event, {
          kind: 'notice',
          tone: 'info',
          text: 'You undid going back: the work set aside is active again.',
        });
        break;
      case 'board_restored':
        push(event, {
          kind: 'notice',
          tone: 'info',
          text: `You rolled back to “${(data as { name: string }).name}”.`,
        });
        break;
    }
  }
  return collapseSetAside(flat);
}

/** Runs of superseded items become one collapsed group, placed where they happened. */
function collapseSetAside(items: ChatItem[]): ChatItem[] {
  const out: ChatItem[] = [];
  for (const item of items) {
    if (!item.superseded) {
      out.push(item);
      continue;
    }
    const last = out.at(-1);
    if (last?.kind === 'set_aside') last.items.push(item);
    else
      out.push({
        kind: 'set_aside',
        key: `set-aside-${item.seq}`,
        seq: item.seq,
        superseded: true,
        items: [item],
      });
  }
  return out;
}

/** The history without the questions that are open now: those are shown as cards to answer. */
export function withoutOpen(items: ChatItem[], openPendingIds: ReadonlySet<string>): ChatItem[] {
  return items.filter((item) => !(item.kind === 'ask' && openPendingIds.has(item.pendingId)));
}

/** The newest answered question or approval the owner can go back to. */
export function lastRewindable(items: readonly ChatItem[]): Extract<ChatItem, { kind: 'answer' }> | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.kind === 'answer' && item.rewindable && !item.superseded) return item;
  }
  return null;
}

export const MOCKUP_EVENT = 'mockup_rendered';

const MockupData = z.object({
  name: z.literal(MOCKUP_EVENT),
  data: z.object({ html: z.string().optional(), wireframe: z.string().optional() }),
});

/** The latest active mockup rendered before `beforeSeq` (the approval that shows it). */
export function latestMockup(
  events: readonly ProjectEvent[],
  beforeSeq = Number.POSITIVE_INFINITY,
): { seq: number; html: string | null; wireframe: string | null } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type !== 'domain' || event.superseded || event.seq >= beforeSeq) continue;
    const parsed = MockupData.safeParse(event.payload);
    if (parsed.success) {
      return {
        seq: event.seq,
        html: parsed.data.data.html ?? null,
        wireframe: parsed.data.data.wireframe ?? null,
      };
    }
  }
  return null;
}
