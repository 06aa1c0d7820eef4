/**
 * Gates of the website flow, each with explicit criteria. (Site validity and SEO artifacts are in
 * gates/site-gates.ts.) A gate returns null until it applies.
 */
import type { Db } from '@sitewright/db';
import { type GateDefinition, getStats } from '@sitewright/engine';
import { checkIntent } from '../intent/check.ts';
import { briefApproved, type LogReader, latestBrief, latestDecision, latestMockup } from './state.ts';
import { readSitePages } from './tools.ts';

export function flowGates(options: {
  db: Db;
  log: LogReader;
  siteDirOf(projectId: string): string;
}): GateDefinition[] {
  const activeEvents = options.log;
  return [
    {
      name: 'business_brief_confirmed',
      evaluate: async ({ projectId }) => {
        const events = await activeEvents(projectId);
        const brief = latestBrief(events);
        if (!brief) return null;
        const decision = latestDecision(events, 'brief', brief.seq);
        const approved = briefApproved(events);
        return {
          passed: approved,
          criteria: [
            { name: 'brief is complete and valid', passed: true },
            {
              name: 'owner approved the latest brief (or a mockup made from it)',
              passed: approved,
              detail: decision
                ? decision.approved === null
                  ? 'waiting for the owner'
                  : decision.notes || undefined
                : 'not asked yet',
            },
          ],
        };
      },
    },
    {
      name: 'mockup_renders',
      evaluate: async ({ projectId }) => {
        const mockup = latestMockup(await activeEvents(projectId));
        if (!mockup) return null;
        const criteria = [
          {
            name: 'every page has sections',
            passed: mockup.mockup.pages.every((page) => page.sections.length > 0),
          },
          { name: 'wireframe drawn', passed: mockup.wireframe.trim().length > 0 },
          {
            name: 'preview is a complete HTML document',
            passed: /^<!doctype html>/i.test(mockup.html.trim()) && /<\/html>\s*$/i.test(mockup.html),
          },
          {
            name: 'preview needs nothing from the network',
            passed: !/\b(?:src|href)=["']https?:/i.test(mockup.html),
          },
        ];
        return { passed: criteria.every((criterion) => criterion.passed), criteria };
      },
    },
    {
      name: 'mockup_approved',
      evaluate: async ({ projectId }) => {
        const events = await activeEvents(projectId);
        const mockup = latestMockup(events);
        if (!mockup) return null;
        const decision = latestDecision(events, 'mockup', mockup.seq);
        return {
          passed: decision?.approved === true,
          criteria: [
            {
              name: 'owner approved the latest mockup',
              passed: decision?.approved === true,
              detail: decision
                ? decision.approved === null
                  ? 'waiting for the owner'
                  : decision.notes || undefined
                : 'not asked yet',
            },
          ],
        };
      },
    },
    {
      name: 'features_passing',
      evaluate: async ({ db, projectId }) => {
        const stats = await getStats(db, projectId);
        if (stats.total === 0) return null;
        const openBugs = stats.bugs.total - stats.bugs.resolved;
        const criteria = [
          {
            name: 'every feature and fix passes',
            passed: stats.passing + stats.byStatus.skipped === stats.total,
            detail: `${stats.passing} of ${stats.total} passing`,
          },
          { name: 'no open bug reports', passed: openBugs === 0, detail: `${openBugs} open` },
        ];
        return { passed: criteria.every((criterion) => criterion.passed), criteria };
      },
    },
    {
      name: 'intent_match',
      evaluate: async ({ projectId, stage }) => {
        if (stage !== 'audit' && stage !== 'build') return null;
        const brief = latestBrief(await activeEvents(projectId));
        if (!brief) return null;
        const pages = readSitePages(options.siteDirOf(projectId));
        if (pages.length === 0) return null;
        return checkIntent(brief.brief, pages);
      },
    },
  ];
}
