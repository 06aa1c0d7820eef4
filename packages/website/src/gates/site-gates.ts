/**
 * The site's quality gates: `site_valid` (the site meets the validity bar) and
 * `seo_artifacts_present` (sitemap, robots.txt, llms.txt and per-page SEO tags are in place and
 * cover every page). Both stay silent (null) until the site has a page.
 */
import type { Criterion, GateDefinition } from '@sitewright/engine';
import type { SiteOptions } from '../hooks/index.ts';
import { checkSeoArtifacts } from '../seo/index.ts';
import {
  listSiteFiles,
  type ProblemCategory,
  problemCategory,
  type SiteProblem,
  validateSite,
} from '../validate/index.ts';

export const siteGateNames = { valid: 'site_valid', seo: 'seo_artifacts_present' } as const;

export const siteValidCriteria: Record<ProblemCategory, string> = {
  html: 'HTML is valid',
  css: 'CSS parses',
  page: 'every page has a title, lang, viewport and exactly one h1',
  links: 'internal links resolve',
};

export const briefSavedCriterion = 'business brief saved';

/** How many problems a criterion's detail names before summarising the rest. */
const SHOWN_PROBLEMS = 5;

export function siteGates(options: SiteOptions): GateDefinition[] {
  return [
    {
      name: siteGateNames.valid,
      async evaluate({ projectId }) {
        const result = await validateSite(options.siteDirOf(projectId));
        if (result.pages.length === 0) return null;
        const errors = result.problems.filter((problem) => problem.severity === 'error');
        const categories = Object.keys(siteValidCriteria) as ProblemCategory[];
        const criteria = categories.map((category) =>
          criterion(
            siteValidCriteria[category],
            errors.filter((problem) => problemCategory(problem) === category),
            `${result.pages.length} pages checked`,
          ),
        );
        return { passed: criteria.every((c) => c.passed), criteria };
      },
    },
    {
      name: siteGateNames.seo,
      async evaluate({ db, projectId }) {
        const siteDir = options.siteDirOf(projectId);
        if ((await listSiteFiles(siteDir)).html.length === 0) return null;
        const brief = await options.loadBrief(db, projectId);
        if (!brief) {
          const detail = 'the SEO artifacts are generated from the brief';
          return { passed: false, criteria: [{ name: briefSavedCriterion, passed: false, detail }] };
        }
        const criteria = await checkSeoArtifacts({
          siteDir,
          brief,
          baseUrl: options.publicBaseUrl(projectId),
        });
        return { passed: criteria.every((c) => c.passed), criteria };
      },
    },
  ];
}

function criterion(name: string, problems: readonly SiteProblem[], passedDetail: string): Criterion {
  if (problems.length === 0) return { name, passed: true, detail: passedDetail };
  const shown = problems
    .slice(0, SHOWN_PROBLEMS)
    .map((p) => `${p.file}:${p.line} ${p.message}`)
    .join('; ');
  const more = problems.length > SHOWN_PROBLEMS ? ` (+${problems.length - SHOWN_PROBLEMS} more)` : '';
  return { name, passed: false, detail: `${shown}${more}` };
}
