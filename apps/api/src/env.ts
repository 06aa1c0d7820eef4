/**
 * The only reader of `process.env` in the API. Every variable is validated at boot; a bad value stops
 * the process with one line that names the variable and what is wrong (see docs/configuration.md).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const postgresUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
    } catch {
      return false;
    }
  },
  { message: 'must be a URL like postgres://user:password@host:5432/database' },
);

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default(fallback)
    .transform((value) => value === 'true' || value === '1');

/** USD per million tokens; cache prices default to the input price (no discount assumed). */
const ModelPrice = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cacheRead: z.number().nonnegative().optional(),
    cacheWrite: z.number().nonnegative().optional(),
  })
  .strict()
  .transform((price) => ({
    input: price.input,
    output: price.output,
    cacheRead: price.cacheRead ?? price.input,
    cacheWrite: price.cacheWrite ?? price.input,
  }));

/** JSON like `{"llama3.1:8b": {"input": 0, "output": 0}}`: prices added to (or replacing) the built-in table. */
const modelPrices = z
  .string()
  .default('{}')
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"my-model": {"input": 1, "output": 2}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), ModelPrice));

/** A comma-separated list of origins like `https://app.example.org`, each checked as a URL. */
const originList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().refine(
        (origin) => {
          try {
            const url = new URL(origin);
            return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin;
          } catch {
            return false;
          }
        },
        { message: 'must be a comma-separated list of origins like https://app.example.org' },
      ),
    ),
  );

const EnvSchema = z.object({
  /** `production` enables the stricter start-up checks. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Interface to listen on; the container image sets 0.0.0.0. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** HTTP port for the API, the WebSocket hub and the dashboard. */
  PORT: z.coerce
    .number({ error: 'must be a whole number between 0 and 65535' })
    .int({ error: 'must be a whole number between 0 and 65535' })
    .min(0, { error: 'must be a whole number between 0 and 65535' })
    .max(65_535, { error: 'must be a whole number between 0 and 65535' })
    .default(8888),
  /** Holds the embedded database, site repositories and snapshots. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Use this Postgres server instead of the embedded database. */
  DATABASE_URL: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : undefined))
    .pipe(postgresUrl.optional()),
  /** Postgres connection pool size per process. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The built dashboard to serve; defaults to apps/web/dist in this repository. */
  WEB_DIST_DIR: z.string().optional(),
  /** Largest JSON request body accepted. */
  BODY_LIMIT: z.string().default('1mb'),
  /** How long a graceful shutdown waits for open requests before closing them (ms). */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Run the agent runner inside this process (the single-process mode); off for API-only processes. */
  RUNNER_ENABLED: flag('true'),
  /**
   * How long a runner's claim on a project lasts without a heartbeat; after a runner dies its projects
   * are taken over within this time. Heartbeats come every third of it.
   */
  RUNNER_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Projects one runner drives at once. */
  RUNNER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(4),
  /** Worker turns between the owner's inputs before the agent pauses to ask whether to continue. */
  TURN_CAP: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Spending cap per project in US dollars. */
  SPEND_CAP_USD: z.coerce.number().min(0).default(1),
  /** Spending cap over all projects in a rolling 24 hours, in US dollars (unset: none). */
  DAILY_SPEND_CAP_USD: z.coerce.number().min(0).optional(),
  /** The Chromium the agents use to check pages. */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /** Where the generated sites will be published; used in sitemaps, canonical links and structured data. */
  PUBLIC_BASE_URL: z.url({ error: 'must be a URL like https://sites.example.org' }).optional(),

  // ------------------------------------------------------------------------------------- models
  // Without any key or local server the offline demo worker drives projects.
  /** Anthropic API key: Claude models through the Messages API. */
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  /** Another Anthropic-compatible endpoint (a gateway); default the official API. */
  ANTHROPIC_BASE_URL: z.url({ error: 'must be a URL' }).optional(),
  /** OpenRouter key: any model it offers, through its OpenAI-compatible API. */
  OPENROUTER_API_KEY: z.string().min(1).optional(),
  /** OpenAI key (or the key of the server at OPENAI_BASE_URL). */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** An OpenAI-compatible server: OpenAI, or a local one (Ollama, vLLM, LM Studio: e.g. http://localhost:11434/v1). */
  OPENAI_BASE_URL: z.url({ error: 'must be a URL like http://localhost:11434/v1' }).optional(),
  /** Model of the chat role (brief, mockup, planning); `anthropic:`/`openai:` prefixes pick the provider. */
  MODEL_CHAT: z.string().min(1).optional(),
  /** Model used when the chat model is rate limited. */
  MODEL_CHAT_FALLBACK: z.string().min(1).optional(),
  /** Model of the code role (building and fixing the site). */
  MODEL_CODE: z.string().min(1).optional(),
  /** Model used when the code model is rate limited. */
  MODEL_CODE_FALLBACK: z.string().min(1).optional(),
  /** How long one model request may take before it is retried (ms). */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
  /** How long the demo worker takes to "type" each message it shows the owner (ms); 0: at once. */
  DEMO_TYPING_MS: z.coerce.number().int().min(0).max(10_000).default(600),
  /** Prices per model (USD per million tokens) for models the built-in table lacks or has wrong. */
  MODEL_PRICES: modelPrices,

  // ----------------------------------------------------------------------------------- security
  /** Signs session tokens (at least 32 characters). Unset: generated once and kept in DATA_DIR. */
  JWT_SECRET_KEY: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  /** Password of the first admin user `admin`. Unset: generated on first start and printed once. */
  DEFAULT_ADMIN_PASSWORD: z.string().min(8, { error: 'must be at least 8 characters' }).optional(),
  /** bcrypt cost factor for stored passwords. */
  BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(12),
  /** Lifetime of an access token, in seconds. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .default(15 * 60),
  /** Lifetime of a refresh token, in seconds. */
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(7 * 24 * 60 * 60),
  /** Mark cookies `Secure`: `auto` does so when the request arrived over HTTPS (directly or via a proxy). */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Sign-in attempts per username and address per minute (a successful sign-in resets the count). */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(5),
  /** Other origins allowed to call the API with credentials (the dashboard's own origin always is). */
  CORS_ORIGINS: originList,
  /** Answer only requests from this machine (loopback addresses); for laptops on shared networks. */
  REQUIRE_LOCALHOST: flag('false'),
  /** Which proxy hops to trust for the client address and protocol (Express `trust proxy`). */
  TRUST_PROXY: z.string().min(1).default('loopback'),

  /** Bearer token for `GET /metrics`. Unset: only clients on this machine may scrape. */
  METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),

  // ---------------------------------------------------------------------------------- websocket
  /** How often the hub pings each client; a client that misses a ping is disconnected. */
  WS_PING_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  /** Bytes queued for one slow client before it is dropped and told to reconnect. */
  WS_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
});

export type Env = z.infer<typeof EnvSchema> & { WEB_DIST_DIR: string };

/** Passwords that ship in examples and tutorials; production refuses them for the admin. */
const weakPasswords = new Set([
  'admin',
  'admin123',
  'password',
  'changeme',
  'change-me',
  'sitewright',
  '12345678',
]);

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/** Validates a raw environment; throws EnvError with one readable line listing every problem. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  // `NAME=` in a .env file means "not set", as if the line were commented out.
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value?.trim() !== ''));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || 'environment';
      const value = raw[name];
      const shown =
        value === undefined || /SECRET|PASSWORD|KEY|DATABASE_URL/.test(name) ? '' : ` (got "${value}")`;
      const message =
        issue.code === 'invalid_value' ? `must be one of ${issue.values.join(', ')}` : issue.message;
      return `${name} ${message}${shown}`;
    });
    throw new EnvError(`Invalid configuration: ${problems.join('; ')}`);
  }
  if (result.data.NODE_ENV === 'production') {
    const missing: string[] = [];
    if (!result.data.JWT_SECRET_KEY) missing.push('JWT_SECRET_KEY must be set in production');
    const password = result.data.DEFAULT_ADMIN_PASSWORD;
    if (!password) missing.push('DEFAULT_ADMIN_PASSWORD must be set in production');
    else if (weakPasswords.has(password.toLowerCase()))
      missing.push('DEFAULT_ADMIN_PASSWORD must not be a default password in production');
    if (missing.length > 0) throw new EnvError(`Invalid configuration: ${missing.join('; ')}`);
  }
  const webDist = result.data.WEB_DIST_DIR ?? fileURLToPath(new URL('../../web/dist', import.meta.url));
  return { ...result.data, DATA_DIR: resolve(result.data.DATA_DIR), WEB_DIST_DIR: resolve(webDist) };
}

/** Reads `.env` from the working directory (without overriding real variables) and validates. */
export function readEnv(): Env {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return parseEnv(process.env);
}
