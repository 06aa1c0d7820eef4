import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HookResult, PostHook } from '@sitewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import type { Brief } from '../brief.ts';
import { headCommit, listCommits } from '../git/index.ts';
import { SEO_BLOCK_START } from '../seo/index.ts';
import { fixtureBrief, fixturePage, fixtureSite, writeSite } from '../validate/fixtures.ts';
import { type WebsiteHookOptions, websiteHookNames, websiteHooks } from './website-hooks.ts';

const PROJECT = '6f1c2f3e-0000-4000-8000-000000000001';
const db = undefined as never;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Fakes {
  siteDir: string;
  brief?: Brief | null;
  item?: { id: number; name: string } | null;
}

function optionsFor({ siteDir, brief = fixtureBrief(), item = null }: Fakes): WebsiteHookOptions & {
  calls: string[];
} {
  const calls: string[] = [];
  return {
    calls,
    siteDirOf: (projectId) => {
      calls.push(`siteDirOf ${projectId}`);
      return siteDir;
    },
    publicBaseUrl: () => 'https://marias.example',
    loadBrief: async (database, projectId) => {
      calls.push(`loadBrief ${String(database)} ${projectId}`);
      return brief;
    },
    currentItem: async (_database, projectId) => {
      calls.push(`currentItem ${projectId}`);
      return item;
    },
  };
}

async function runChain(hooks: PostHook[]): Promise<Record<string, HookResult>> {
  const results: Record<string, HookResult> = {};
  for (const hook of hooks) {
    results[hook.name] = await hook.run({
      db,
      projectId: PROJECT,
      stage: 'build',
      tool: 'write_file',
      args: {},
      result: {},
    });
  }
  return results;
}

async function site(files: Record<string, string>): Promise<string> {
  const dir = await writeSite(files);
  dirs.push(dir);
  return dir;
}

describe('websiteHooks', () => {
  it('returns validate, seo_artifacts and git_commit in that order', () => {
    const hooks = websiteHooks(optionsFor({ siteDir: '/nowhere' }));
    expect(hooks.map((hook) => hook.name)).toEqual(['validate', 'seo_artifacts', 'git_commit']);
    expect(Object.values(websiteHookNames)).toEqual(['validate', 'seo_artifacts', 'git_commit']);
  });

  it('validates, writes the SEO artifacts and commits naming the work item; a rerun changes nothing', async () => {
    const siteDir = await site(fixtureSite());
    const options = optionsFor({ siteDir, item: { id: 12, name: 'Menu page' } });
    const hooks = websiteHooks(options);

    const first = await runChain(hooks);
    expect(first.validate).toEqual({ ok: true, detail: '3 pages valid (0 errors, 0 warnings)' });
    expect(first.seo_artifacts).toEqual({
      ok: true,
      detail: 'updated contact/index.html, index.html, llms.txt, menu/index.html, robots.txt, sitemap.xml',
    });
    const sha = await headCommit(siteDir);
    expect(first.git_commit).toEqual({ ok: true, detail: `committed ${sha}: Menu page (#12)` });
    expect((await listCommits(siteDir, 5)).map((commit) => commit.message)).toEqual(['Menu page (#12)']);
    expect(await readFile(join(siteDir, 'index.html'), 'utf8')).toContain(SEO_BLOCK_START);
    expect(options.calls).toContain(`loadBrief undefined ${PROJECT}`);
    expect(options.calls).toContain(`currentItem ${PROJECT}`);

    const second = await runChain(hooks);
    expect(second).toEqual({
      validate: { ok: true, detail: '3 pages valid (0 errors, 0 warnings)' },
      seo_artifacts: { ok: true, detail: 'up to date' },
      git_commit: { ok: true, detail: 'nothing to commit' },
    });
    expect(await headCommit(siteDir)).toBe(sha);
  });

  it('skips SEO without a brief and commits as "Update site" without a work item', async () => {
    const siteDir = await site(fixtureSite());
    const results = await runChain(websiteHooks(optionsFor({ siteDir, brief: null })));
    expect(results.seo_artifacts).toEqual({ ok: true, detail: 'skipped: no brief yet' });
    expect(results.git_commit?.ok).toBe(true);
    expect((await listCommits(siteDir, 5)).map((commit) => commit.message)).toEqual(['Update site']);
    expect(await readFile(join(siteDir, 'index.html'), 'utf8')).not.toContain(SEO_BLOCK_START);
  });

  it('handles a project whose site does not exist yet', async () => {
    const root = await site({});
    const results = await runChain(websiteHooks(optionsFor({ siteDir: join(root, 'site') })));
    expect(results).toEqual({
      validate: { ok: true, detail: 'no pages yet' },
      seo_artifacts: { ok: true, detail: 'skipped: no pages yet' },
      git_commit: { ok: true, detail: 'nothing to commit' },
    });
  });

  it('fails validation with a compact summary, and the chain still commits', async () => {
    const broken = fixturePage({
      title: '',
      heading: 'Broken',
      main: Array.from({ length: 12 }, (_, n) => `      <a href="/missing-${n}/">x</a>`).join('\n'),
    });
    const siteDir = await site({ ...fixtureSite(), 'index.html': broken });
    const results = await runChain(websiteHooks(optionsFor({ siteDir })));
    const validate = results.validate!;
    expect(validate.ok).toBe(false);
    const lines = validate.detail!.split('\n');
    expect(lines[0]).toMatch(/^\d+ errors, 0 warnings in 1 file$/);
    expect(lines).toHaveLength(12);
    expect(lines[1]).toMatch(/^index\.html:\d+:\d+ [\w/-]+: /);
    expect(lines.some((line) => line.includes('sitewright/title: the page needs a non-empty <title>'))).toBe(
      true,
    );
    expect(lines[11]).toMatch(/^… and \d+ more$/);
    expect(results.git_commit?.ok).toBe(true);
    expect(await headCommit(siteDir)).not.toBeNull();
  });

  it('lists warnings after a valid result', async () => {
    const siteDir = await site({ ...fixtureSite(), 'styles.css': 'h1 { colr: red; }\n' });
    const [validate] = websiteHooks(optionsFor({ siteDir }));
    const result = await validate!.run({
      db,
      projectId: PROJECT,
      stage: 'build',
      tool: 'write_file',
      args: {},
      result: {},
    });
    expect(result).toEqual({
      ok: true,
      detail:
        '3 pages valid (0 errors, 1 warning)\nstyles.css:1:6 warning css/declaration: colr: Unknown property `colr`',
    });
  });

  it('reports a failing option function as a failed hook instead of throwing', async () => {
    const siteDir = await site(fixtureSite());
    const options: WebsiteHookOptions = {
      ...optionsFor({ siteDir }),
      loadBrief: async () => {
        throw new Error('database is gone');
      },
      currentItem: async () => {
        throw new Error('no items table');
      },
    };
    const results = await runChain(websiteHooks(options));
    expect(results.validate?.ok).toBe(true);
    expect(results.seo_artifacts).toEqual({ ok: false, detail: 'seo_artifacts failed: database is gone' });
    expect(results.git_commit).toEqual({ ok: false, detail: 'git_commit failed: no items table' });
  });

  it('reports a bad base URL as a failed SEO hook', async () => {
    const siteDir = await site(fixtureSite());
    const options = { ...optionsFor({ siteDir }), publicBaseUrl: () => 'not a url' };
    const results = await runChain(websiteHooks(options));
    expect(results.seo_artifacts?.ok).toBe(false);
    expect(results.seo_artifacts?.detail).toMatch(
      /^seo_artifacts failed: The public base URL must be absolute/,
    );
  });
});
