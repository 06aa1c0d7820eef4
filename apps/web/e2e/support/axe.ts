import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * Serious and critical axe violations, summarised so a failure names the rule and the elements.
 * Sandboxed frames (the site preview, the mockup) are left out: axe cannot run inside a frame that
 * blocks scripts, and the sites themselves are audited by the website pack's own axe checks.
 */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).exclude('iframe[sandbox]').analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}
