/**
 * A tiny domain pack for engine tests: an intake stage that asks the owner for a topic and an
 * approval, then a writing stage that writes notes into a directory. It exercises every engine
 * mechanism (human gates, stages, repeatable and non-repeatable tools, hooks, gates) with no website.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { DomainPack } from '../domain.ts';
import { defineTool, ToolError } from '../tools.ts';

export interface NotesDomainOptions {
  /** Notes of project P are written under `<dir>/<P>/`. */
  dir: string;
  /** Counts calls of the non-repeatable `send_email` tool (to prove it never runs twice). */
  sentEmails?: string[];
}

export function notesDomain(options: NotesDomainOptions): DomainPack {
  const notesDir = (projectId: string) => {
    const dir = join(options.dir, projectId);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const listNotes = (projectId: string) => readdirSync(notesDir(projectId)).sort();

  const saveTopic = defineTool({
    name: 'save_topic',
    description: 'Save the topic the owner chose.',
    args: z.object({ topic: z.string().min(1) }),
    repeatable: true,
    run: async (_context, args) => ({
      data: { saved: true },
      effects: [{ type: 'save_brief', brief: { topic: args.topic } }],
    }),
  });
  const startWriting = defineTool({
    name: 'start_writing',
    description: 'Move to the writing stage.',
    args: z.object({}),
    repeatable: true,
    run: async () => ({ data: { stage: 'writing' }, effects: [{ type: 'set_stage', stage: 'writing' }] }),
  });
  const writeNote = defineTool({
    name: 'write_note',
    description: 'Write a note (idempotent: same name and text, same file).',
    args: z.object({ name: z.string().regex(/^[a-z0-9-]+$/), text: z.string() }),
    repeatable: true,
    runsHooks: true,
    run: async (context, args) => {
      writeFileSync(join(notesDir(context.projectId), `${args.name}.txt`), args.text);
      const digest = createHash('sha256').update(args.text).digest('hex').slice(0, 12);
      return {
        data: { written: args.name, digest },
        hints: { target: args.name, content: args.text, isEdit: true },
      };
    },
  });
  const readNote = defineTool({
    name: 'read_note',
    description: 'Read a note.',
    args: z.object({ name: z.string() }),
    repeatable: true,
    readOnly: true,
    run: async (context, args) => {
      try {
        return {
          data: { text: readFileSync(join(notesDir(context.projectId), `${args.name}.txt`), 'utf8') },
        };
      } catch {
        throw new ToolError(`There is no note named ${args.name}.`);
      }
    },
  });
  const sendEmail = defineTool({
    name: 'send_email',
    description: 'Send an email (not repeatable: it must never be sent twice).',
    args: z.object({ to: z.string() }),
    repeatable: false,
    run: async (context, args) => {
      options.sentEmails?.push(`${context.projectId}:${args.to}`);
      return { data: { sent: true } };
    },
  });
  const fail = defineTool({
    name: 'always_fails',
    description: 'A tool that fails.',
    args: z.object({ why: z.string().default('because') }),
    repeatable: true,
    run: async (_context, args) => {
      throw new ToolError(`failed ${args.why}`);
    },
  });

  const summarise = defineTool({
    name: 'summarise_notes',
    description: 'Asks a model for a summary of the notes (a tool that pays for a model call).',
    args: z.object({ worstCaseUsd: z.number().default(0.2), costUsd: z.number().default(0.1) }),
    repeatable: false,
    run: async (context, args) => {
      const hold = await context.spend.reserve({
        provider: 'test',
        model: 'summariser',
        role: 'tool',
        isFallback: false,
        worstCaseUsd: args.worstCaseUsd,
        priced: true,
      });
      await hold.settle({
        costUsd: args.costUsd,
        priced: true,
        inputTokens: 100,
        outputTokens: 10,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      });
      return { data: { summary: `${listNotes(context.projectId).length} notes` } };
    },
  });

  return {
    name: 'notes',
    initialStage: 'intake',
    stages: {
      intake: {
        tools: ['ask_user', 'request_approval', 'save_topic', 'start_writing'],
        role: 'chat',
        lifecycle: 'initializing',
      },
      writing: {
        tools: ['write_note', 'read_note', 'send_email', 'always_fails', 'ask_user', 'summarise_notes'],
        role: 'code',
        lifecycle: 'coding',
      },
    },
    tools: [saveTopic, startWriting, writeNote, readNote, sendEmail, fail, summarise],
    hooks: [
      {
        name: 'count_notes',
        run: async (context) => ({ ok: true, detail: `${listNotes(context.projectId).length} notes` }),
      },
      {
        name: 'reject_empty',
        run: async (context) => {
          const empty = listNotes(context.projectId).filter(
            (file) => readFileSync(join(notesDir(context.projectId), file), 'utf8').trim() === '',
          );
          return empty.length ? { ok: false, detail: `empty notes: ${empty.join(', ')}` } : { ok: true };
        },
      },
    ],
    gates: [
      {
        name: 'two_notes',
        evaluate: async (context) => {
          if (context.stage !== 'writing') return null;
          const count = listNotes(context.projectId).length;
          return {
            passed: count >= 2,
            criteria: [{ name: 'at least two notes', passed: count >= 2, detail: `${count}` }],
          };
        },
      },
    ],
    systemPrompt: (context) => `You write notes. Stage: ${context.stage}.`,
  };
}
