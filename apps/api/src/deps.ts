/** The composition root: the only place long-lived objects are created and wired together. */
import { hostname } from 'node:os';
import { createDb, type DbHandle } from '@sitewright/db';
import {
  createEngine,
  createEventBus,
  createRunner,
  type Engine,
  type EventBus,
  type Runner,
} from '@sitewright/engine';
import {
  createDbCallLog,
  createPricing,
  createWorkerSelector,
  type PricingTable,
  priceOf,
  type ResolvedModels,
  resolveModels,
} from '@sitewright/llm';
import { type BrowserPool, createBrowserPool, createDemoWorker, websiteDomain } from '@sitewright/website';
import { type Env, EnvError } from './env.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { type Auth, createAuth } from './modules/auth/auth.service.ts';
import { version } from './version.ts';

export interface Deps {
  env: Env;
  db: DbHandle;
  logger: Logger;
  version: string;
  engine: Engine;
  bus: EventBus;
  browserPool: BrowserPool;
  auth: Auth;
  metrics: Metrics;
  /** The providers and role models from the configuration; null: no key, the demo worker answers. */
  models: ResolvedModels | null;
  /** The in-process runner (null when RUNNER_ENABLED=false). Started by main after listening. */
  runner: Runner | null;
}

/** `server`: the API (and, in the single-process mode, the runner); `runner`: a runner-only process. */
export type ProcessRole = 'server' | 'runner';

export async function createDeps(
  env: Env,
  logger: Logger = createLogger(env.LOG_LEVEL),
  role: ProcessRole = 'server',
): Promise<Deps> {
  const db = await createDb({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    maxConnections: env.DATABASE_POOL_SIZE,
    onNotice: (message) => logger.debug({ notice: message }, 'postgres notice'),
  });
  return wireDeps(env, db, logger, role);
}

/** Everything built on an open database (tests call this with a test database). */
export async function wireDeps(
  env: Env,
  db: DbHandle,
  logger: Logger,
  role: ProcessRole = 'server',
): Promise<Deps> {
  const metrics = createMetrics();
  const bus = await createEventBus({
    db: db.db,
    // Across processes only Postgres carries notifications; the embedded database is one process.
    ...(db.driver === 'postgres' ? { notifications: db } : {}),
    onError: (error) => logger.warn({ err: error }, 'event delivery failed'),
  });
  const browserPool = createBrowserPool({ chromiumPath: env.CHROMIUM_PATH });
  const publicBase = (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  const domain = websiteDomain({
    db: db.db,
    dataDir: env.DATA_DIR,
    publicBaseUrl: (projectId) => `${publicBase}/preview/${projectId}`,
    browserPool,
  });
  const demoWorker = createDemoWorker({ typingMs: env.DEMO_TYPING_MS });
  const models = resolveModels({
    anthropicApiKey: env.ANTHROPIC_API_KEY,
    anthropicBaseUrl: env.ANTHROPIC_BASE_URL,
    openrouterApiKey: env.OPENROUTER_API_KEY,
    openaiApiKey: env.OPENAI_API_KEY,
    openaiBaseUrl: env.OPENAI_BASE_URL,
    timeoutMs: env.LLM_TIMEOUT_MS,
    models: {
      chat: env.MODEL_CHAT,
      chatFallback: env.MODEL_CHAT_FALLBACK,
      code: env.MODEL_CODE,
      codeFallback: env.MODEL_CODE_FALLBACK,
    },
  });
  if (!models.ok) throw new EnvError(`Invalid model configuration: ${models.errors.join('; ')}`);
  const pricing = createPricing(env.MODEL_PRICES);
  for (const model of unpricedModels(models.models, pricing)) {
    logger.warn(
      { model },
      'this model has no price: its calls are shown as "cost unknown" and the spend caps cannot limit them; set MODEL_PRICES',
    );
  }
  // Without a key (or a local server) the offline demo worker drives every project.
  const workerFor = models.models
    ? createWorkerSelector(models.models, { callLog: createDbCallLog(db.db), pricing })
    : () => demoWorker;
  const engine = createEngine({
    db: db.db,
    domain,
    workerFor,
    limits: {
      turnCap: env.TURN_CAP,
      spendCapUsd: env.SPEND_CAP_USD,
      dailySpendCapUsd: env.DAILY_SPEND_CAP_USD ?? null,
    },
    onEvents: (events) => {
      bus.publish(events);
      metrics.countEvents(events);
    },
    onLive: (text) => bus.publishLive(text),
  });
  const runner = env.RUNNER_ENABLED
    ? createRunner({
        db: db.db,
        engine,
        runnerId: `${hostname()}:${process.pid}`,
        concurrency: env.RUNNER_CONCURRENCY,
        leaseTtlMs: env.RUNNER_LEASE_TTL_MS,
        heartbeatMs: Math.floor(env.RUNNER_LEASE_TTL_MS / 3),
        onError: (error, projectId) => logger.error({ err: error, projectId }, 'runner step failed'),
        onStep: (step) => metrics.observeStep(step),
        onTakeover: (lease) => {
          metrics.countTakeover();
          logger.warn(
            { projectId: lease.projectId, recoveryAttempts: lease.recoveryAttempts },
            'took over a project from a runner that stopped answering',
          );
        },
      })
    : null;
  const auth = await createAuth({ db: db.db, env, logger, bootstrapAdmin: role === 'server' });
  return {
    env,
    db,
    logger,
    version,
    engine,
    bus,
    browserPool,
    auth,
    metrics,
    models: models.models,
    runner,
  };
}

/** Releases what createDeps opened, in reverse order: the runner hands its steps back first. */
export async function closeDeps(deps: Deps, options: { graceMs?: number } = {}): Promise<void> {
  await deps.runner?.stop(options);
  await deps.browserPool.close();
  await deps.bus.close();
  await deps.db.close();
}

/** The configured role models (and fallbacks) the pricing table has no price for. */
function unpricedModels(models: ResolvedModels | null, pricing: PricingTable): string[] {
  if (!models) return [];
  const configured = Object.values(models.roles).flatMap((role) => [
    role.model,
    ...(role.fallback ? [role.fallback.model] : []),
  ]);
  return [...new Set(configured)].filter((model) => !priceOf(pricing, model));
}
