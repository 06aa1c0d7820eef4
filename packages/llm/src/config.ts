/**
 * Model configuration: which provider and model each role uses, resolved once at boot from the keys
 * and model names the app's env.ts parsed, with a clear message for every inconsistency.
 */
import type { Worker } from '@sitewright/engine';
import { OPENROUTER_BASE_URL } from './openai.ts';
import { PROVIDERS, type Provider } from './port.ts';
import { createModelClient, type ProviderConfig } from './providers.ts';
import { createModelWorker, type ModelWorkerOptions } from './worker.ts';

export const ROLES = ['chat', 'code'] as const;
export type Role = (typeof ROLES)[number];

export interface LlmSettings {
  anthropicApiKey?: string | undefined;
  anthropicBaseUrl?: string | undefined;
  openrouterApiKey?: string | undefined;
  openaiApiKey?: string | undefined;
  openaiBaseUrl?: string | undefined;
  /** Model refs per role: `claude-sonnet-4-6`, `anthropic/claude-sonnet-4.6`, or `openai:gpt-4.1`. */
  models: Partial<Record<'chat' | 'chatFallback' | 'code' | 'codeFallback', string | undefined>>;
  timeoutMs?: number | undefined;
}

export interface ModelChoice {
  provider: Provider;
  model: string;
}

export interface ResolvedModels {
  /** Connection settings per configured provider. */
  providers: Partial<Record<Provider, ProviderConfig & { keyName: string }>>;
  roles: Record<Role, ModelChoice & { fallback?: ModelChoice }>;
}

export type ResolveResult =
  | { ok: true; models: ResolvedModels }
  /** No key and no local server configured: the app runs the demo worker. */
  | { ok: true; models: null }
  | { ok: false; errors: string[] };

/**
 * The models used when none is configured. Claude Sonnet 4.6 answers the requests this package sends
 * (a forced tool call, no thinking budget) as they are; Sonnet 4.5, the earlier default, reaches its
 * end of life on 30 November 2026. Newer Claude models work too, when configured.
 */
const DEFAULT_MODEL: Record<Provider, { openrouter: string; direct: string }> = {
  anthropic: { openrouter: 'claude-sonnet-4-6', direct: 'claude-sonnet-4-6' },
  openai: { openrouter: 'anthropic/claude-sonnet-4.6', direct: 'gpt-4.1' },
};

/** Resolves the role models from settings; every problem is reported, naming the variable to fix. */
export function resolveModels(settings: LlmSettings): ResolveResult {
  const providers: ResolvedModels['providers'] = {};
  const timeout = settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {};
  if (settings.anthropicApiKey) {
    providers.anthropic = {
      apiKey: settings.anthropicApiKey,
      keyName: 'ANTHROPIC_API_KEY',
      ...(settings.anthropicBaseUrl ? { baseURL: settings.anthropicBaseUrl } : {}),
      ...timeout,
    };
  }
  const viaOpenRouter = !settings.openaiBaseUrl && Boolean(settings.openrouterApiKey);
  if (settings.openaiBaseUrl) {
    const key = settings.openaiApiKey ?? settings.openrouterApiKey;
    providers.openai = {
      // Local servers (Ollama, vLLM, LM Studio) ignore the key but the SDK requires one.
      apiKey: key ?? 'local',
      baseURL: settings.openaiBaseUrl,
      keyName: settings.openaiApiKey
        ? 'OPENAI_API_KEY'
        : settings.openrouterApiKey
          ? 'OPENROUTER_API_KEY'
          : 'OPENAI_BASE_URL',
      ...timeout,
    };
  } else if (settings.openrouterApiKey) {
    providers.openai = {
      apiKey: settings.openrouterApiKey,
      baseURL: OPENROUTER_BASE_URL,
      keyName: 'OPENROUTER_API_KEY',
      ...timeout,
    };
  } else if (settings.openaiApiKey) {
    providers.openai = { apiKey: settings.openaiApiKey, keyName: 'OPENAI_API_KEY', ...timeout };
  }
  const configured = PROVIDERS.filter((p) => providers[p]);
  const anyModel = Object.values(settings.models).some(Boolean);
  if (configured.length === 0) {
    return anyModel
      ? {
          ok: false,
          errors: [
            'A model is configured (MODEL_*) but no provider key: set ANTHROPIC_API_KEY, OPENROUTER_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL.',
          ],
        }
      : { ok: true, models: null };
  }

  const errors: string[] = [];
  const choose = (ref: string, variable: string): ModelChoice | undefined => {
    const resolved = resolveModelRef(providers, ref);
    if (resolved.ok) return resolved.choice;
    errors.push(`${variable}=${resolved.error}`);
    return undefined;
  };

  const fallbackProvider = configured[0] as Provider;
  const defaultModel =
    fallbackProvider === 'anthropic'
      ? DEFAULT_MODEL.anthropic.direct
      : viaOpenRouter
        ? DEFAULT_MODEL.openai.openrouter
        : settings.openaiBaseUrl
          ? undefined
          : DEFAULT_MODEL.openai.direct;
  const roles: Partial<ResolvedModels['roles']> = {};
  for (const role of ROLES) {
    const variable = `MODEL_${role.toUpperCase()}`;
    const ref = settings.models[role] ?? defaultModel;
    if (!ref) {
      errors.push(`${variable} is required with OPENAI_BASE_URL (the local server's model name).`);
      continue;
    }
    const primary = choose(ref, variable);
    const fallbackRef = settings.models[`${role}Fallback`];
    const fallback = fallbackRef ? choose(fallbackRef, `${variable}_FALLBACK`) : undefined;
    if (primary) roles[role] = { ...primary, ...(fallback ? { fallback } : {}) };
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, models: { providers, roles: roles as ResolvedModels['roles'] } };
}

export type SharedWorkerOptions = Omit<
  ModelWorkerOptions,
  'client' | 'model' | 'fallback' | 'role' | 'keyName'
>;

/**
 * The engine's `workerFor`: one worker per role (and per project override), built lazily and reused.
 * A project's `settings.models.<role>` (a model ref) overrides the role's model.
 */
export function createWorkerSelector(
  models: ResolvedModels,
  shared: SharedWorkerOptions = {},
): (project: { role: string; settings: unknown }) => Worker {
  const clients = new Map<Provider, ReturnType<typeof createModelClient>>();
  const clientFor = (provider: Provider) => {
    let client = clients.get(provider);
    if (!client) {
      const config = models.providers[provider];
      if (!config) throw new Error(`provider ${provider} is not configured`);
      client = createModelClient(provider, config);
      clients.set(provider, client);
    }
    return client;
  };
  const secrets = PROVIDERS.flatMap((p) => (models.providers[p] ? [models.providers[p].apiKey] : []));
  const workers = new Map<string, Worker>();
  return ({ role, settings }) => {
    const known = (ROLES as readonly string[]).includes(role) ? (role as Role) : 'code';
    const base = models.roles[known];
    const primary = modelForProject(models, known, settings);
    const key = `${known}|${primary.provider}:${primary.model}`;
    let worker = workers.get(key);
    if (!worker) {
      worker = createModelWorker({
        ...shared,
        secrets: [...secrets, ...(shared.secrets ?? [])],
        client: clientFor(primary.provider),
        model: primary.model,
        role: known,
        keyName: models.providers[primary.provider]?.keyName as string,
        ...(base.fallback
          ? { fallback: { model: base.fallback.model, client: clientFor(base.fallback.provider) } }
          : {}),
      });
      workers.set(key, worker);
    }
    return worker;
  };
}

/**
 * Resolves a model ref (as in MODEL_*) against the configured providers: a per-project override is
 * checked with this before it is saved, so a project never names a model no key can reach.
 */
export function resolveModelRef(
  providers: ResolvedModels['providers'],
  ref: string,
): { ok: true; choice: ModelChoice } | { ok: false; error: string } {
  const explicit = /^(anthropic|openai):(.+)$/.exec(ref);
  if (explicit) {
    const provider = explicit[1] as Provider;
    return providers[provider]
      ? { ok: true, choice: { provider, model: explicit[2] as string } }
      : {
          ok: false,
          error: `${ref} needs ${provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENROUTER_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL'}, which is not set.`,
        };
  }
  // A bare Claude id goes to Anthropic when its key is set; anything else to the OpenAI-compatible endpoint.
  if (/^claude-/.test(ref) && providers.anthropic) {
    return { ok: true, choice: { provider: 'anthropic', model: ref } };
  }
  if (providers.openai) return { ok: true, choice: { provider: 'openai', model: ref } };
  return {
    ok: false,
    error: `${ref} is not a Claude model, and no OpenAI-compatible endpoint is configured (OPENROUTER_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL).`,
  };
}

/** A project's own model ref for a role (`settings.models.<role>`), or null for the configured one. */
export function projectModelOverride(settings: unknown, role: string): string | null {
  const value = (settings as { models?: Record<string, unknown> } | null)?.models?.[role];
  return typeof value === 'string' && value ? value : null;
}

/** The model a role uses for a project: its override when it resolves, else the configured one. */
export function modelForProject(models: ResolvedModels, role: Role, settings: unknown): ModelChoice {
  const override = projectModelOverride(settings, role);
  const resolved = override ? resolveModelRef(models.providers, override) : null;
  return resolved?.ok ? resolved.choice : models.roles[role];
}
