/**
 * `browser_check`: the agent's eyes. Loads one page of the project's site in headless Chromium and
 * returns what it found (see `runBrowserCheck`). A failing page is data for the worker to act on; only
 * an unusable browser is a ToolError. The hints name the check `browser:<page>` so the loop detector
 * notices the same page still failing after rounds of edits.
 */
import { relative, sep } from 'node:path';
import { defineTool, ToolError } from '@sitewright/engine';
import { z } from 'zod';
import { DEFAULT_CHECK_TIMEOUT_MS, runBrowserCheck } from '../browser/check.ts';
import { type BrowserPool, BrowserUnavailableError } from '../browser/pool.ts';

export interface BrowserCheckToolOptions {
  pool: BrowserPool;
  siteDirOf(projectId: string): string;
  /** Where screenshots are kept; the result names them relative to this directory. */
  evidenceDirOf(projectId: string): string;
}

export const BrowserAssertionArgs = z.strictObject({
  selector: z.string().trim().min(1).max(300).describe('CSS selector'),
  exists: z.boolean().optional().describe('at least one match (true) or none (false); the default check'),
  visible: z.boolean().optional().describe('some match is visible (true) or none is (false)'),
  text: z
    .string()
    .min(1)
    .max(1_000)
    .optional()
    .describe('some match contains this text (whitespace-normalised)'),
  count: z.number().int().min(0).max(10_000).optional().describe('exactly this many matches'),
  attribute: z
    .strictObject({ name: z.string().trim().min(1).max(100), value: z.string().max(2_000) })
    .optional()
    .describe('some match has this attribute with exactly this value'),
});
export type BrowserAssertionArgs = z.infer<typeof BrowserAssertionArgs>;

export const BrowserCheckArgs = z.strictObject({
  page: z
    .string()
    .max(300)
    .regex(/^\/(?!\/)[^\s\\]*$/, 'a site path such as "/" or "/contact/"')
    .describe('site path of the page: "/" or "/<slug>/"'),
  viewport: z
    .enum(['desktop', 'tablet', 'phone'])
    .default('desktop')
    .describe('1280×800, 768×1024 or 390×844'),
  assertions: z.array(BrowserAssertionArgs).max(30).default([]),
  checkLinks: z.boolean().default(true).describe('every internal link resolves'),
  forms: z.boolean().default(true).describe('controls are labelled; forms can submit and reach the business'),
  axe: z.boolean().default(true).describe('axe-core accessibility rules; serious/critical violations fail'),
  screenshot: z.boolean().default(true).describe('save a full-page screenshot as evidence'),
  timeoutMs: z.number().int().min(1_000).max(60_000).default(DEFAULT_CHECK_TIMEOUT_MS),
});
export type BrowserCheckArgs = z.infer<typeof BrowserCheckArgs>;

export function browserCheckTool(options: BrowserCheckToolOptions) {
  return defineTool({
    name: 'browser_check',
    description:
      'Load one page of the site in a headless browser and check it: it loads, no console errors or uncaught exceptions, ' +
      'no requests outside the site, your assertions (CSS selector + exists/visible/text/count/attribute), internal links, ' +
      'form labels, and axe accessibility rules. Returns each result with details and a screenshot path. ' +
      'Use it to verify acceptance steps and to reproduce bugs; a failed check is an answer, not an error.',
    args: BrowserCheckArgs,
    repeatable: true,
    run: async (context, args) => {
      const evidenceDir = options.evidenceDirOf(context.projectId);
      try {
        const result = await runBrowserCheck(options.pool, {
          siteDir: options.siteDirOf(context.projectId),
          page: args.page,
          viewport: args.viewport,
          assertions: args.assertions,
          checkLinks: args.checkLinks,
          forms: args.forms,
          axe: args.axe,
          ...(args.screenshot ? { screenshot: { dir: evidenceDir } } : {}),
          timeoutMs: args.timeoutMs,
          signal: context.signal,
        });
        return {
          data: {
            ...result,
            screenshot: result.screenshot && relative(evidenceDir, result.screenshot).split(sep).join('/'),
          },
          hints: { target: args.page, check: { name: `browser:${args.page}`, passed: result.passed } },
        };
      } catch (error) {
        if (error instanceof BrowserUnavailableError) {
          throw new ToolError(`The browser check cannot run: ${error.message}`, { cause: error });
        }
        throw error;
      }
    },
  });
}
