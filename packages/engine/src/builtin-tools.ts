/** Human-gate tools every domain may allow: they only produce effects the engine applies. */
import { z } from 'zod';
import { defineTool } from './tools.ts';

export const askUserTool = defineTool({
  name: 'ask_user',
  description:
    'Ask the owner a question and wait for the answer. Offer 2–5 short options when sensible; the owner may still answer freely.',
  args: z.object({
    question: z.string().trim().min(1).max(2_000),
    options: z.array(z.string().trim().min(1).max(200)).max(12).optional(),
  }),
  repeatable: true,
  readOnly: true,
  run: async (_context, args) => ({
    data: { asked: true },
    effects: [
      { type: 'ask_user', question: args.question, ...(args.options ? { options: args.options } : {}) },
    ],
  }),
});

export const requestApprovalTool = defineTool({
  name: 'request_approval',
  description:
    'Show the owner something to approve (e.g. the brief or the mockup) and wait for Approve or Request changes.',
  args: z.object({ subject: z.string().trim().min(1).max(200), details: z.unknown().optional() }),
  repeatable: true,
  readOnly: true,
  run: async (_context, args) => ({
    data: { requested: true },
    effects: [{ type: 'request_approval', subject: args.subject, details: args.details ?? null }],
  }),
});

export const builtinTools = [askUserTool, requestApprovalTool];
