/**
 * The post-write hook chain: validate the site, regenerate its SEO artifacts from the brief, commit.
 * Each hook reports instead of throwing, and each is idempotent, because the engine runs the chain
 * again after a crash before the step settled.
 */
import type { DbOrTx, HookResult, PostHook } from '@sitewright/engine';
import type { Brief } from '../brief.ts';
import { commitAll } from '../git/index.ts';
import { generateSeoArtifacts } from '../seo/index.ts';
import { listSiteFiles, type SiteProblem, validateSite } from '../validate/index.ts';

/** Where a project's site lives and what it is about; shared by the hooks and the gates. */
export interface SiteOptions {
  siteDirOf(projectId: string): string;
  /** The absolute URL the site is published at (sitemap, canonical links, JSON-LD). */
  publicBaseUrl(projectId: string): string;
  loadBrief(db: DbOrTx, projectId: string): Promise<Brief | null>;
}

export interface WebsiteHookOptions extends SiteOptions {
  /** The work item being built, named in the commit message. */
  currentItem(db: DbOrTx, projectId: string): Promise<{ id: number; name: string } | null>;
}

export const websiteHookNames = {
  validate: 'validate',
  seo: 'seo_artifacts',
  commit: 'git_commit',
} as const;

/** How many problems a hook's detail lists before summarising the rest. */
const SHOWN_PROBLEMS = 10;

/** The website hooks in the order they must run: validate → seo_artifacts → git_commit. */
export function websiteHooks(options: WebsiteHookOptions): PostHook[] {
  return [
    hook(websiteHookNames.validate, async ({ projectId }) => {
      const result = await validateSite(options.siteDirOf(projectId));
      if (result.pages.length === 0 && result.problems.length === 0)
        return { ok: true, detail: 'no pages yet' };
      const errors = result.problems.filter((p) => p.severity === 'error');
      const warnings = result.problems.length - errors.length;
      const counts = `${plural(errors.length, 'error')}, ${plural(warnings, 'warning')}`;
      const headline = result.ok
        ? `${plural(result.pages.length, 'page')} valid (${counts})`
        : `${counts} in ${plural(new Set(errors.map((p) => p.file)).size, 'file')}`;
      // Errors first: they are what the worker must fix.
      const ordered = [...errors, ...result.problems.filter((p) => p.severity !== 'error')];
      return { ok: result.ok, detail: [headline, ...summarise(ordered)].join('\n') };
    }),

    hook(websiteHookNames.seo, async ({ db, projectId }) => {
      const brief = await options.loadBrief(db, projectId);
      if (!brief) return { ok: true, detail: 'skipped: no brief yet' };
      const siteDir = options.siteDirOf(projectId);
      if ((await listSiteFiles(siteDir)).html.length === 0)
        return { ok: true, detail: 'skipped: no pages yet' };
      const { written, skipped } = await generateSeoArtifacts({
        siteDir,
        brief,
        baseUrl: options.publicBaseUrl(projectId),
      });
      const done = written.length > 0 ? `updated ${written.join(', ')}` : 'up to date';
      if (skipped.length === 0) return { ok: true, detail: done };
      return {
        ok: false,
        detail: `${done}; no </head> or <body> to hold the SEO block in ${skipped.join(', ')}`,
      };
    }),

    hook(websiteHookNames.commit, async ({ db, projectId }) => {
      const item = await options.currentItem(db, projectId);
      const message = item ? `${item.name} (#${item.id})` : 'Update site';
      const sha = await commitAll(options.siteDirOf(projectId), message);
      return { ok: true, detail: sha ? `committed ${sha}: ${message}` : 'nothing to commit' };
    }),
  ];
}

type HookContext = Parameters<PostHook['run']>[0];

/** A hook whose failures come back as `{ ok: false }` with the error, never as a throw. */
function hook(name: string, run: (context: HookContext) => Promise<HookResult>): PostHook {
  return {
    name,
    async run(context) {
      try {
        return await run(context);
      } catch (error) {
        return {
          ok: false,
          detail: `${name} failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    },
  };
}

function summarise(problems: readonly SiteProblem[]): string[] {
  const lines = problems
    .slice(0, SHOWN_PROBLEMS)
    .map(
      (p) =>
        `${p.file}:${p.line}:${p.column} ${p.severity === 'error' ? '' : 'warning '}${p.rule}: ${p.message}`,
    );
  if (problems.length > SHOWN_PROBLEMS) lines.push(`… and ${problems.length - SHOWN_PROBLEMS} more`);
  return lines;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
