/**
 * The internal message model and the context builder: the engine's events become a provider-neutral
 * conversation under a token budget. The stable prefix (system prompt, tools, brief) comes first so
 * providers can cache it; older turns collapse into one summary line; the current state is always last.
 */
import type { StoredEvent, WorkerContext } from '@sitewright/engine';

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

export type ChatMessage =
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string; toolCall?: { id: string; name: string; args: unknown } }
  | { role: 'tool'; callId: string; name: string; content: string; isError: boolean };

export interface BuiltContext {
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
}

/** Tools every model gets besides the stage's tools: the two envelopes that are not tool calls. */
export const FINAL_TOOL: ToolSpec = {
  name: 'finish',
  description: 'End your turn with a short summary for the owner when the current work is done.',
  parameters: {
    type: 'object',
    properties: { summary: { type: 'string', description: 'What was done, for the owner.' } },
    required: ['summary'],
  },
};
export const ESCALATE_TOOL: ToolSpec = {
  name: 'escalate',
  description: 'Stop and hand over to the owner when you cannot proceed; say why.',
  parameters: {
    type: 'object',
    properties: { reason: { type: 'string', description: 'Why you cannot proceed.' } },
    required: ['reason'],
  },
};

/** Rough token estimate (chars / 4): enough to keep prompts bounded without a tokenizer. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function messageChars(message: ChatMessage): number {
  switch (message.role) {
    case 'user':
      return message.text.length;
    case 'assistant':
      return message.text.length + (message.toolCall ? JSON.stringify(message.toolCall).length : 0);
    case 'tool':
      return message.content.length + message.name.length;
  }
}

const MAX_RESULT_CHARS = 2_000;
const MAX_TEXT_CHARS = 2_000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)} … [${text.length - max} more characters]`;
}

function json(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/** Converts a registry tool (whose schema may carry `$schema` etc.) to the object schema providers expect. */
export function toToolSpec(tool: WorkerContext['tools'][number]): ToolSpec {
  const schema =
    tool.parameters && typeof tool.parameters === 'object'
      ? { ...(tool.parameters as Record<string, unknown>) }
      : {};
  delete schema.$schema;
  if (schema.type !== 'object')
    return { name: tool.name, description: tool.description, parameters: { type: 'object', properties: {} } };
  return { name: tool.name, description: tool.description, parameters: schema };
}

/** One turn: the messages it produced, kept or condensed as a unit so tool calls keep their results. */
interface Turn {
  messages: ChatMessage[];
  /** One phrase for the condensed summary of older turns. */
  gist: string;
}

const callIdOf = (seq: number) => `call_${seq}`;

function turnsFrom(history: StoredEvent[]): { turns: Turn[]; freshFrom: number } {
  const turns: Turn[] = [];
  // A claimed work item starts a fresh context: earlier turns are only condensed.
  let freshFrom = 0;
  // tool_started links the engine's callId to the worker_output it acts on.
  const callByEngineId = new Map<string, string>();
  const open = new Map<string, { turn: Turn; name: string }>();
  for (const event of history) {
    if (event.supersededBySeq !== null) continue;
    switch (event.type) {
      case 'owner_message':
        turns.push({
          messages: [{ role: 'user', text: `The owner says: ${clip(event.payload.text, MAX_TEXT_CHARS)}` }],
          gist: `owner: "${clip(event.payload.text, 60)}"`,
        });
        break;
      case 'pending_answered':
        turns.push({
          messages: [
            { role: 'user', text: `The owner answered: ${clip(json(event.payload.answer), MAX_TEXT_CHARS)}` },
          ],
          gist: 'owner answered',
        });
        break;
      case 'worker_output': {
        const envelope = event.payload.envelope as {
          kind?: string;
          tool?: string;
          args?: unknown;
          say?: string;
          summary?: string;
          reason?: string;
        };
        const id = callIdOf(event.seq);
        let name: string;
        let args: unknown;
        if (envelope.kind === 'tool_call' && envelope.tool) {
          name = envelope.tool;
          args = envelope.args ?? {};
        } else if (envelope.kind === 'final') {
          name = FINAL_TOOL.name;
          args = { summary: envelope.summary };
        } else {
          name = ESCALATE_TOOL.name;
          args = { reason: envelope.reason };
        }
        const turn: Turn = {
          messages: [{ role: 'assistant', text: envelope.say ?? '', toolCall: { id, name, args } }],
          gist: name,
        };
        turns.push(turn);
        open.set(id, { turn, name });
        break;
      }
      case 'tool_started':
        callByEngineId.set(event.payload.callId, callIdOf(event.payload.outputSeq));
        break;
      case 'tool_finished':
      case 'tool_outcome_unknown': {
        const id = callByEngineId.get(event.payload.callId);
        const pending = id ? open.get(id) : undefined;
        if (!id || !pending) break;
        const content =
          event.type === 'tool_outcome_unknown'
            ? 'The call was interrupted; its outcome is unknown.'
            : event.payload.ok
              ? clip(json(event.payload.data ?? 'ok'), MAX_RESULT_CHARS)
              : `Error: ${clip(event.payload.error ?? 'failed', MAX_RESULT_CHARS)}`;
        const isError = event.type === 'tool_outcome_unknown' || !event.payload.ok;
        pending.turn.messages.push({ role: 'tool', callId: id, name: pending.name, content, isError });
        if (isError) pending.turn.gist += ' (failed)';
        open.delete(id);
        break;
      }
      case 'worker_output_invalid':
        turns.push({
          messages: [
            { role: 'user', text: `An earlier answer was rejected: ${clip(event.payload.error, 300)}` },
          ],
          gist: 'invalid answer',
        });
        break;
      case 'alarm_raised':
        turns.push({
          messages: [
            { role: 'user', text: `Alarm (${event.payload.type}): ${clip(event.payload.message, 300)}` },
          ],
          gist: `alarm ${event.payload.type}`,
        });
        break;
      case 'work_item_claimed':
        freshFrom = turns.length;
        break;
      case 'loop_nudged':
        turns.push({ messages: [{ role: 'user', text: event.payload.message }], gist: 'nudged' });
        break;
      default:
        break;
    }
  }
  // Providers require every tool call to be answered before the next turn.
  for (const [id, { turn, name }] of open) {
    turn.messages.push({
      role: 'tool',
      callId: id,
      name,
      content: 'Applied; no result recorded.',
      isError: false,
    });
  }
  return { turns, freshFrom };
}

function condense(turns: Turn[]): string {
  const counts = new Map<string, number>();
  const owner: string[] = [];
  for (const turn of turns) {
    if (turn.gist.startsWith('owner')) owner.push(turn.gist);
    else counts.set(turn.gist, (counts.get(turn.gist) ?? 0) + 1);
  }
  const actions = [...counts].map(([gist, n]) => (n > 1 ? `${gist} ×${n}` : gist)).join(', ');
  const said = owner.slice(-3).join('; ');
  return clip(
    `Earlier in this project (${turns.length} older turns, condensed): ${actions || 'no actions'}${said ? `. Latest owner words: ${said}` : ''}.`,
    600,
  );
}

function currentState(context: WorkerContext): string {
  const { brief: _brief, ...rest } = context.summary;
  const parts = [
    `Stage: ${context.stage}. Lifecycle: ${context.lifecycleState}. Turn ${context.turn} since the owner last spoke.`,
    `Current state: ${clip(json(rest), 4_000)}`,
  ];
  if (context.nudge) parts.push(`Change course: ${context.nudge}`);
  if (context.repair) {
    parts.push(
      `Your previous answer could not be used: ${clip(context.repair.error, 500)}. Previous answer: ${clip(json(context.repair.previous), 500)}. Answer with exactly one tool call with valid JSON arguments.`,
    );
  }
  parts.push('Answer with exactly one tool call.');
  return parts.join('\n');
}

/**
 * Rebuilds the conversation from the context under a token budget. The system prompt (with the brief)
 * and the current state are always present; the most recent turns are kept whole and older ones
 * condensed into one line, so the prompt stays bounded however long the project runs. Turns before
 * the last claimed work item are always condensed: each item starts from a fresh context.
 */
export function contextToMessages(context: WorkerContext, budgetTokens: number): BuiltContext {
  const tools = [...context.tools.map(toToolSpec), FINAL_TOOL, ESCALATE_TOOL];
  const brief = context.summary.brief;
  const system =
    brief === undefined || brief === null
      ? context.systemPrompt
      : `${context.systemPrompt}\n\n## Brief\n${clip(json(brief), 8_000)}`;
  const state: ChatMessage = { role: 'user', text: currentState(context) };

  const budgetChars = budgetTokens * 4;
  const fixed = system.length + json(tools).length + state.text.length + 600;
  let remaining = budgetChars - fixed;
  const { turns, freshFrom } = turnsFrom(context.history);
  let firstKept = turns.length;
  while (firstKept > freshFrom) {
    const turn = turns[firstKept - 1] as Turn;
    const size = turn.messages.reduce((sum, m) => sum + messageChars(m), 0);
    if (size > remaining) break;
    remaining -= size;
    firstKept--;
  }
  const messages: ChatMessage[] = [];
  if (firstKept > 0) messages.push({ role: 'user', text: condense(turns.slice(0, firstKept)) });
  for (const turn of turns.slice(firstKept)) messages.push(...turn.messages);
  messages.push(state);
  return { system, messages, tools };
}
