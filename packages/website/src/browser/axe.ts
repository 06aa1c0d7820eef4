/**
 * Automated accessibility checks with axe-core, injected into the checked page: the WCAG 2.1 A/AA
 * rules plus axe's best practices (landmarks, one h1, heading order). Serious and critical violations
 * fail a check; the milder ones are still listed so the agent can improve them.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { evaluateInPage } from './in-page.ts';

export type AxeImpact = 'minor' | 'moderate' | 'serious' | 'critical';

export interface AxeViolation {
  /** axe rule id, e.g. `color-contrast`, `image-alt`. */
  id: string;
  impact: AxeImpact | null;
  /** What the rule asks for, in one sentence. */
  help: string;
  /** CSS selectors of (at most 10 of) the offending elements. */
  targets: string[];
}

export const FAILING_IMPACTS: ReadonlySet<AxeImpact | null> = new Set<AxeImpact | null>([
  'serious',
  'critical',
]);

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const MAX_TARGETS = 10;
const IMPACT_ORDER: Record<string, number> = { critical: 0, serious: 1, moderate: 2, minor: 3 };

/** Injects axe-core into `page` and returns its violations, the most severe first. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  const violations = await evaluateInPage(page, runAxeInPage, { tags: AXE_TAGS, maxTargets: MAX_TARGETS });
  return violations.sort((a, b) => (IMPACT_ORDER[a.impact ?? ''] ?? 4) - (IMPACT_ORDER[b.impact ?? ''] ?? 4));
}

interface AxeInPage {
  run(
    context: unknown,
    options: unknown,
  ): Promise<{
    violations: Array<{
      id: string;
      impact?: AxeImpact | null;
      help: string;
      nodes: Array<{ target: unknown[] }>;
    }>;
  }>;
}

/** Runs in the page, after axe's source defined `window.axe`. */
async function runAxeInPage(input: { tags: string[]; maxTargets: number }): Promise<AxeViolation[]> {
  const page = globalThis as unknown as { axe: AxeInPage; document: unknown };
  const results = await page.axe.run(page.document, {
    runOnly: { type: 'tag', values: input.tags },
    resultTypes: ['violations'],
  });
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact ?? null,
    help: violation.help,
    // A target is a selector path (an array when the element is inside an iframe or shadow root).
    targets: violation.nodes
      .slice(0, input.maxTargets)
      .map((node) =>
        node.target.map((part) => (Array.isArray(part) ? part.join(' ') : String(part))).join(' >> '),
      ),
  }));
}
