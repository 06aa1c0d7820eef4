/**
 * The deployment files, checked without a container engine: the compose topology (Postgres, the API
 * serving the dashboard, scalable runners), their health checks and dependencies, and that every
 * variable the server reads is documented in .env.example.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseEnv } from './env.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: unknown;
  container_name?: string;
}

const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

describe('docker-compose.yml', () => {
  it('runs Postgres, the API and runners', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'postgres', 'runner']);
  });

  it('keeps Postgres on a volume with a health check, and starts the others only once it is healthy', () => {
    const postgres = compose.services.postgres as Service;
    expect(postgres.volumes?.some((volume) => volume.endsWith(':/var/lib/postgresql/data'))).toBe(true);
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready');
    for (const name of ['app', 'runner']) {
      expect(compose.services[name]?.depends_on?.postgres?.condition).toBe('service_healthy');
    }
  });

  it('publishes only the API, which serves the dashboard and checks its health', () => {
    const app = compose.services.app as Service;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own variable syntax, not a template
    expect(app.ports).toEqual(['${SITEWRIGHT_PORT:-8888}:8888']);
    expect(app.healthcheck?.test.join(' ')).toContain('/api/health');
    expect(compose.services.postgres?.ports).toBeUndefined();
    expect(compose.services.runner?.ports).toBeUndefined();
  });

  it('lets runners scale: no fixed container name or host port, the runner entry, a readiness check', () => {
    const runner = compose.services.runner as Service;
    expect(runner.container_name).toBeUndefined();
    expect(runner.command).toEqual(['node', '--import', 'tsx', 'apps/api/src/runner.ts']);
    expect(runner.healthcheck?.test.join(' ')).toContain('/api/ready');
    expect(runner.image).toBe(compose.services.app?.image);
  });

  it('gives the API and the runners the same database, data volume and secrets', () => {
    const app = compose.services.app as Service;
    const runner = compose.services.runner as Service;
    for (const key of ['DATABASE_URL', 'DATA_DIR', 'JWT_SECRET_KEY', 'NODE_ENV']) {
      expect(runner.environment?.[key], key).toBe(app.environment?.[key]);
    }
    expect(app.volumes).toEqual(runner.volumes);
    expect(String(app.environment?.DATABASE_URL)).toMatch(/@postgres:5432\//);
    expect(compose.volumes).toHaveProperty('postgres-data');
    expect(compose.volumes).toHaveProperty('sitewright-data');
  });

  it('gives production the secrets it insists on', () => {
    const app = compose.services.app as Service;
    expect(app.environment?.NODE_ENV).toBe('production');
    expect(String(app.environment?.JWT_SECRET_KEY)).toMatch(/^\$\{JWT_SECRET_KEY:\?/);
    expect(String(app.environment?.DEFAULT_ADMIN_PASSWORD)).toMatch(/^\$\{DEFAULT_ADMIN_PASSWORD:\?/);
    // The environment compose gives the API passes the server's own validation.
    const env = parseEnv({
      ...Object.fromEntries(
        Object.entries(app.environment ?? {}).map(([key, value]) => [key, String(value)]),
      ),
      DATABASE_URL: 'postgres://sitewright:secret@postgres:5432/sitewright',
      JWT_SECRET_KEY: 'x'.repeat(48),
      DEFAULT_ADMIN_PASSWORD: 'a strong admin password',
      RUNNER_ENABLED: 'false',
    });
    expect(env.RUNNER_ENABLED).toBe(false);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('installs with every workspace manifest and dependency patch in place', () => {
    const manifests = ['apps', 'packages'].flatMap((group) =>
      readdirSync(join(root, group))
        .filter((name) => existsSync(join(root, group, name, 'package.json')))
        .map((name) => `${group}/${name}`),
    );
    expect(manifests.length).toBeGreaterThanOrEqual(6);
    for (const dir of manifests) expect(dockerfile, dir).toContain(`COPY ${dir}/package.json ${dir}/`);
    const workspace = parse(read('pnpm-workspace.yaml')) as { patchedDependencies?: Record<string, string> };
    if (workspace.patchedDependencies) expect(dockerfile).toContain('COPY patches patches');
  });

  it('runs as a non-root user under an init, with Chromium and a health check', () => {
    expect(dockerfile).toMatch(/^USER sitewright$/m);
    expect(dockerfile).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    expect(dockerfile).toMatch(/apt-get install[^\n]*chromium/);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });
});

describe('.env.example', () => {
  it('documents every variable the server reads', () => {
    const example = read('.env.example');
    const source = read('apps/api/src/env.ts');
    const names = [...source.matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((match) => match[1] as string);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    const reference = read('docs/configuration.md');
    for (const name of names) expect(reference, name).toContain(`| \`${name}\` |`);
  });
});
