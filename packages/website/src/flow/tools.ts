/**
 * The tools of the website flow itself: saving the brief, rendering the mockup, moving between
 * stages (each move checked against what the owner has approved), and the intent audit.
 */
import type { Db } from '@sitewright/db';
import { defineTool, getStats, ToolError } from '@sitewright/engine';
import { z } from 'zod';
import { Brief } from '../brief.ts';
import { checkIntent } from '../intent/check.ts';
import { createSiteSandbox } from '../sandbox/index.ts';
import { deriveMockup, renderMockupHtml, renderWireframe } from '../site/mockup.ts';
import { Stage, stageMoves } from '../stages.ts';
import { briefApproved, type LogReader, latestBrief, MOCKUP_EVENT, mockupApproved } from './state.ts';

export interface FlowToolsOptions {
  db: Db;
  /** The pack's shared reader of the active log. */
  log: LogReader;
  siteDirOf(projectId: string): string;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'brief'}: ${issue.message}`).join('; ');
}

/** Every text page of the site, for checks that read the whole site. */
export function readSitePages(siteDir: string): Array<{ path: string; content: string }> {
  const sandbox = createSiteSandbox(siteDir);
  return sandbox
    .listFiles()
    .filter((path) => path.endsWith('.html'))
    .map((path) => ({ path, content: String(sandbox.readFile(path)) }));
}

export function flowTools(options: FlowToolsOptions) {
  const activeEvents = options.log;

  const saveBusinessBrief = defineTool({
    name: 'save_business_brief',
    description:
      'Save the business brief collected from the owner (every fact the site may state). Validated; errors say what is missing.',
    args: z.object({ brief: z.unknown() }),
    repeatable: true,
    run: async (_context, args) => {
      const parsed = Brief.safeParse(args.brief);
      if (!parsed.success)
        throw new ToolError(`The brief is not complete yet: ${describeIssues(parsed.error)}`);
      return {
        data: { saved: true, brief: parsed.data },
        effects: [{ type: 'save_brief', brief: parsed.data }],
      };
    },
  });

  const renderMockup = defineTool({
    name: 'render_mockup',
    description:
      'Lay out the pages, sections and design tokens from the brief, as a preview and an ASCII wireframe.',
    args: z.object({}),
    repeatable: true,
    run: async (context) => {
      const brief = latestBrief(await activeEvents(context.projectId));
      if (!brief) throw new ToolError('Save the business brief before rendering a mockup.');
      const mockup = deriveMockup(brief.brief);
      const wireframe = renderWireframe(brief.brief, mockup);
      const html = renderMockupHtml(brief.brief, mockup);
      return {
        data: { pages: mockup.pages.map((page) => page.title), wireframe },
        effects: [{ type: 'domain_event', name: MOCKUP_EVENT, data: { mockup, wireframe, html } }],
      };
    },
  });

  const goToStage = defineTool({
    name: 'go_to_stage',
    description: `Move to another stage of the flow: ${Object.values(Stage).join(' → ')}. Each move needs what comes before it (an approved brief, an approved mockup, a plan, finished work).`,
    args: z.object({ stage: z.enum(Object.values(Stage) as [Stage, ...Stage[]]) }),
    repeatable: true,
    readOnly: true,
    run: async (context, args) => {
      const from = context.stage as Stage;
      if (from === args.stage) return { data: { stage: from } };
      if (!stageMoves[from]?.includes(args.stage)) {
        throw new ToolError(
          `From ${from} the flow can move to: ${stageMoves[from]?.join(', ') || 'nowhere'}.`,
        );
      }
      const events = await activeEvents(context.projectId);
      const stats = await getStats(options.db, context.projectId);
      const missing = stagePrecondition(args.stage, events, stats);
      if (missing) throw new ToolError(missing);
      return { data: { stage: args.stage }, effects: [{ type: 'set_stage', stage: args.stage }] };
    },
  });

  const checkIntentTool = defineTool({
    name: 'check_intent',
    description:
      'Audit the whole site against the brief: every fact shown exactly as the owner gave it, nothing invented, no placeholders.',
    args: z.object({}),
    repeatable: true,
    readOnly: true,
    run: async (context) => {
      const brief = latestBrief(await activeEvents(context.projectId));
      if (!brief) throw new ToolError('There is no saved brief to check against.');
      const result = checkIntent(brief.brief, readSitePages(options.siteDirOf(context.projectId)));
      return { data: result, hints: { check: { name: 'intent', passed: result.passed } } };
    },
  });

  return [saveBusinessBrief, renderMockup, goToStage, checkIntentTool];
}

type Stats = Awaited<ReturnType<typeof getStats>>;

/** Null when the move may happen; otherwise what is missing, in words the worker can act on. */
export function stagePrecondition(
  to: Stage,
  events: Parameters<typeof briefApproved>[0],
  stats: Stats,
): string | null {
  switch (to) {
    case 'bootstrap':
      return null;
    case 'mockup':
      return briefApproved(events) ? null : 'The owner has not approved the latest brief yet.';
    case 'planning':
      return mockupApproved(events) ? null : 'The owner has not approved the latest mockup yet.';
    case 'build':
      return stats.total > 0 ? null : 'Plan the work first: there are no work items yet.';
    case 'audit': {
      const open = stats.total - stats.passing - stats.byStatus.skipped;
      const bugs = stats.bugs.total - stats.bugs.resolved;
      if (bugs > 0) return `${bugs} bug report(s) are not resolved yet.`;
      return open === 0 ? null : `${open} work item(s) are not finished yet.`;
    }
  }
}
