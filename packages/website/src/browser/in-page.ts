/**
 * Running our own functions inside the checked page. Playwright serializes a function with
 * `toString()`; under tsx (how the server runs) esbuild's `keepNames` wraps every nested function in a
 * `__name(…)` helper that does not exist in the page. Evaluating the source inside a wrapper that
 * defines a local no-op `__name` works with and without that transform, and touches no page global.
 */
import type { Page } from 'playwright-core';

/** Evaluates `fn(arg)` in the page's main world; `arg` and the result must be JSON-serializable. */
export async function evaluateInPage<Arg, Result>(
  page: Page,
  fn: (arg: Arg) => Result | Promise<Result>,
  arg: Arg,
): Promise<Result> {
  const expression = `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg)}); })()`;
  return (await page.evaluate(expression)) as Result;
}
