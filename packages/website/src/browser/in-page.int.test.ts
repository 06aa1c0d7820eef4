import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateInPage } from './in-page.ts';
import { type BrowserPool, createBrowserPool, type IsolatedContext } from './pool.ts';
import { chromiumPath, noChromiumReason } from './test-support.ts';

const suite = noChromiumReason ? describe.skip : describe;

suite(`evaluateInPage${noChromiumReason ? ` (${noChromiumReason})` : ''}`, () => {
  let pool: BrowserPool;
  let isolated: IsolatedContext;

  beforeAll(async () => {
    pool = createBrowserPool({ chromiumPath });
    isolated = await pool.openContext({
      allowedOrigin: 'http://127.0.0.1:1',
      viewport: { width: 800, height: 600 },
    });
  });
  afterAll(async () => {
    await isolated?.close();
    await pool?.close();
  });

  it('runs functions that tsx (esbuild keepNames) wrapped in __name, without leaking a page global', async () => {
    // What tsx turns `const inner = (y) => y + 1` into inside a function body.
    const transformed = new Function(
      'arg',
      'const inner = __name((y) => y + 1, "inner"); return { value: inner(arg.x), leaked: typeof globalThis.__name };',
    ) as (arg: { x: number }) => { value: number; leaked: string };
    const page = await isolated.context.newPage();
    await expect(evaluateInPage(page, transformed, { x: 41 })).resolves.toEqual({
      value: 42,
      leaked: 'undefined',
    });
  });

  it('passes the argument as JSON and awaits promises', async () => {
    const page = await isolated.context.newPage();
    const echo = async (arg: { text: string; list: number[] }) => ({ ...arg, length: arg.list.length });
    await expect(evaluateInPage(page, echo, { text: 'a "quoted" </script>', list: [1, 2] })).resolves.toEqual(
      {
        text: 'a "quoted" </script>',
        list: [1, 2],
        length: 2,
      },
    );
  });
});
