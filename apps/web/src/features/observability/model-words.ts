import { type ModelRole, type RoleModel, UpdateProjectModels } from '@sitewright/contracts';
import { z } from 'zod';
import { ApiError } from '../../lib/api.ts';

/** Each role in an owner's words: what it is called and what it does. */
export const roleWords: Record<ModelRole, { name: string; does: string }> = {
  chat: { name: 'Conversation', does: 'Talks with you: the questions, the brief, the mockup and the plan.' },
  code: { name: 'Building', does: 'Writes the site’s pages and fixes what you report.' },
};

export const providerWords: Record<NonNullable<RoleModel['provider']>, string> = {
  anthropic: 'Anthropic',
  openai: 'OpenAI-compatible API',
};

/**
 * Where a role's model comes from: the server's configured one, this project's choice, or a choice
 * the server's keys no longer reach (a key was removed after it was saved), in which case the server
 * quietly uses its configured model.
 */
export type ModelSource = 'default' | 'project' | 'unreachable';

export const sourceWords: Record<ModelSource, string> = {
  default: 'Server default',
  project: 'This project’s choice',
  unreachable: 'Choice not available',
};

export function modelSource(role: RoleModel): ModelSource {
  if (role.override === null) return 'default';
  // `anthropic:` / `openai:` name the provider and are not part of the model id the server reports.
  const explicit = /^(anthropic|openai):(.+)$/.exec(role.override);
  const inUse = explicit
    ? explicit[1] === role.provider && explicit[2] === role.model
    : role.override === role.model;
  return inUse ? 'project' : 'unreachable';
}

/** "a model id has no spaces" → "A model id has no spaces." */
function sentence(message: string): string {
  const text = message.trim();
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * What the owner typed, checked with the contract's own rule: a model id, or null for an empty field
 * (back to the server default).
 */
export function parseModelInput(
  role: ModelRole,
  text: string,
): { ok: true; value: string | null } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const parsed = UpdateProjectModels.safeParse({ [role]: trimmed });
  if (parsed.success) return { ok: true, value: parsed.data[role] ?? null };
  return { ok: false, error: sentence(parsed.error.issues[0]?.message ?? 'This is not a model id') };
}

/**
 * The two shapes a refused save names its fields in: the models service's `fields` (the server's
 * keys do not reach the model; the message names the variable) and the request validator's `issues`.
 */
const RefusedFields = z.object({
  fields: z.record(z.string(), z.string()).optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** What a refused save says about this role's field; null when the error is not about the field. */
export function modelFieldError(error: unknown, role: ModelRole): string | null {
  if (!(error instanceof ApiError) || error.code !== 'invalid_request') return null;
  const details = RefusedFields.safeParse(error.details);
  if (!details.success) return null;
  const fromService = details.data.fields?.[role];
  if (fromService) return fromService;
  const issue = details.data.issues?.find((candidate) => candidate.path === role);
  return issue ? sentence(issue.message) : null;
}

/** The status line after a save: what the role uses from now on. */
export function savedNote(role: RoleModel): string {
  const { name } = roleWords[role.role];
  const model = role.model ?? 'its model';
  return role.override === null
    ? `Saved. From the next model call, ${name} uses the server default, ${model}.`
    : `Saved. From the next model call, ${name} uses ${model}.`;
}
