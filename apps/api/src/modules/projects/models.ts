/**
 * Which model each role uses for a project: the configured one (MODEL_CHAT / MODEL_CODE), or an
 * override the owner set for this project. An override is checked against the configured providers
 * before it is saved, and the engine's worker selector reads it at the project's next model call.
 */
import type { ProjectModels, RoleModel, UpdateProjectModels } from '@sitewright/contracts';
import { modelForProject, projectModelOverride, ROLES, resolveModelRef } from '@sitewright/llm';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';
import type { ProjectRow } from './access.ts';

type Settings = { models?: Record<string, unknown> } & Record<string, unknown>;

export function projectModels(deps: Pick<AppDeps, 'models'>, settings: unknown): ProjectModels {
  const { models } = deps;
  const roles: RoleModel[] = ROLES.map((role) => {
    if (!models) {
      return { role, provider: null, model: null, configured: null, override: null, fallback: null };
    }
    const current = modelForProject(models, role, settings);
    const configured = models.roles[role];
    return {
      role,
      provider: current.provider,
      model: current.model,
      configured: configured.model,
      override: projectModelOverride(settings, role),
      fallback: configured.fallback?.model ?? null,
    };
  });
  return { demo: models === null, roles };
}

export async function updateProjectModels(
  deps: Pick<AppDeps, 'models' | 'engine'>,
  project: ProjectRow,
  input: UpdateProjectModels,
): Promise<ProjectModels> {
  const changes = Object.entries(input).filter(([, value]) => value !== undefined) as Array<
    [string, string | null]
  >;
  if (changes.length === 0) return projectModels(deps, project.settings);
  const { models } = deps;
  if (!models && changes.some(([, value]) => value !== null)) {
    throw new AppError(
      'conflict',
      'No model provider is configured, so the demo worker answers: set ANTHROPIC_API_KEY, OPENROUTER_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL first.',
    );
  }
  const problems: Record<string, string> = {};
  for (const [role, ref] of changes) {
    if (ref === null || !models) continue;
    const resolved = resolveModelRef(models.providers, ref);
    if (!resolved.ok) problems[role] = resolved.error;
  }
  if (Object.keys(problems).length > 0) {
    throw new AppError('invalid_request', Object.values(problems).join(' '), { fields: problems });
  }
  // Read and written in one transaction, so two edits of different roles do not undo each other; through
  // the engine, so a run in progress uses the new models from its next model call.
  const settings = await deps.engine.updateSettings(project.id, (stored) => {
    const current = stored as Settings;
    const overrides: Record<string, unknown> = { ...(current.models ?? {}) };
    for (const [role, ref] of changes) {
      if (ref === null) delete overrides[role];
      else overrides[role] = ref;
    }
    return { ...current, models: overrides };
  });
  return projectModels(deps, settings as Settings);
}
