import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEntities } from './entities.ts';
import { fixtureCss, fixturePage, fixtureSite, writeSite } from './fixtures.ts';
import { resolveReference } from './references.ts';
import { problemCategory, type SiteProblem, siteRules, validateSite } from './validate-site.ts';

const dirs: string[] = [];
async function site(files: Record<string, string>): Promise<string> {
  const dir = await writeSite(files);
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const rulesOf = (problems: SiteProblem[], file?: string) =>
  problems.filter((p) => file === undefined || p.file === file).map((p) => p.rule);

describe('validateSite', () => {
  it('accepts the good fixture site and lists its pages', async () => {
    const result = await validateSite(await site(fixtureSite()));
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.pages).toEqual(['contact/index.html', 'index.html', 'menu/index.html']);
  });

  it('treats a missing site directory as an empty, valid site', async () => {
    const dir = await site({});
    const result = await validateSite(join(dir, 'not-yet'));
    expect(result).toEqual({ ok: true, problems: [], pages: [] });
  });

  it('reports the page basics html-validate does not check', async () => {
    const good = fixtureSite()['index.html']!;
    const result = await validateSite(
      await site({
        ...fixtureSite(),
        'index.html': good
          .replace('<html lang="en">', '<html>')
          .replace(/<meta name="viewport"[^>]*>/, '')
          .replace('<title>Maria’s Pizzeria</title>', '<title> </title>')
          .replace('</main>', '<h1>Another top heading</h1></main>'),
      }),
    );
    expect(result.ok).toBe(false);
    const own = rulesOf(result.problems, 'index.html').filter((rule) => rule.startsWith('sitewright/'));
    expect(own.sort()).toEqual([siteRules.lang, siteRules.oneH1, siteRules.title, siteRules.viewport].sort());
    expect(result.problems.find((p) => p.rule === siteRules.oneH1)?.message).toMatch(/2 <h1>/);
    expect(rulesOf(result.problems, 'menu/index.html')).toEqual([]);
  });

  it('reports a page without any <h1>', async () => {
    const page = fixturePage({ title: 'T', heading: 'x', main: '' }).replace('<h1>x</h1>', '');
    const result = await validateSite(await site({ ...fixtureSite(), 'index.html': page }));
    const problem = result.problems.find((p) => p.rule === siteRules.oneH1);
    expect(problem).toMatchObject({ file: 'index.html', severity: 'error' });
    expect(problem?.message).toMatch(/no <h1>/);
  });

  it('keeps real html-validate errors with their location', async () => {
    const page = fixturePage({
      title: 'Broken',
      heading: 'Broken',
      main: '      <img src="/styles.css">\n      <p><div>block in a paragraph</div></p>\n      <span id="x"></span><span id="x"></span>',
    });
    const result = await validateSite(await site({ ...fixtureSite(), 'index.html': page }));
    expect(result.ok).toBe(false);
    const rules = rulesOf(result.problems, 'index.html');
    expect(rules).toContain('wcag/h37'); // img without alt
    expect(rules).toContain('no-dup-id');
    expect(rules.some((rule) => rule.startsWith('element-permitted') || rule === 'close-order')).toBe(true);
    const missingAlt = result.problems.find((p) => p.rule === 'wcag/h37')!;
    expect(missingAlt.line).toBe(19);
    expect(missingAlt.severity).toBe('error');
  });

  it('does not report purely stylistic choices', async () => {
    const page = fixturePage({
      title: 'Style',
      heading: 'Style',
      main: "      <p class='lead'>Single quotes, a void <br/> with a slash, trailing spaces.   </p>\n      <form action='/contact/'><label>Name <input type='text' name='n' required=\"\"></label><button type='submit'>Send</button></form>",
    }).replace('<!DOCTYPE html>', '<!doctype html>');
    const result = await validateSite(await site({ ...fixtureSite(), 'index.html': page }));
    expect(result.problems).toEqual([]);
  });

  it('warns about a title longer than 70 characters without failing the site', async () => {
    const title = 'Maria’s Pizzeria — Wood-fired Neapolitan pizza in the heart of Leeds, since 1998';
    const page = fixturePage({ title, heading: 'Home', main: '' });
    const result = await validateSite(await site({ ...fixtureSite(), 'index.html': page }));
    expect(result.ok).toBe(true);
    expect(result.problems.map((p) => [p.rule, p.severity])).toEqual([['long-title', 'warning']]);
  });

  it('requires subresource integrity for third-party resources only', async () => {
    const page = fixturePage({ title: 'CDN', heading: 'CDN', main: '' }).replace(
      '</head>',
      '  <link rel="stylesheet" href="https://cdn.example.com/x.css">\n  </head>',
    );
    const result = await validateSite(await site({ ...fixtureSite(), 'index.html': page }));
    expect(result.problems.map((p) => [p.rule, p.line])).toEqual([['require-sri', 8]]);
  });

  it('reports internal links and fragments that do not resolve', async () => {
    const page = fixturePage({
      title: 'Links',
      heading: 'Links',
      main: `      <p>
        <a href="/about/">missing page</a>
        <a href="../../etc/passwd">outside</a>
        <a href="#nowhere">missing fragment</a>
        <a href="/contact/#hours">existing fragment</a>
        <a href="contact/#opening">missing fragment on another page</a>
        <a href="menu">menu without slash</a>
        <a href="#top">top</a>
        <a href="https://example.com/x">external</a>
        <a href="mailto:hi@example.com">mail</a>
        <a href="tel:+441632960123">call</a>
        <img src="img/logo.png" alt="Logo">
      </p>`,
    });
    const result = await validateSite(await site({ ...fixtureSite(), 'index.html': page }));
    const links = result.problems.filter((p) => p.rule === siteRules.internalLink);
    expect(links.map((p) => p.message)).toEqual([
      '"/about/" points at about/index.html, which does not exist',
      '"../../etc/passwd" points outside the site',
      '"#nowhere": index.html has no element with id "nowhere"',
      '"contact/#opening": contact/index.html has no element with id "opening"',
      '"img/logo.png" points at img/logo.png, which does not exist',
    ]);
    expect(links.every((p) => p.file === 'index.html' && p.severity === 'error')).toBe(true);
  });

  it('reports a page whose stylesheet is missing', async () => {
    const files = fixtureSite();
    delete files['styles.css'];
    const result = await validateSite(await site(files));
    expect(result.problems.filter((p) => p.rule === siteRules.internalLink)).toHaveLength(3);
  });

  it('reports CSS that does not parse, including a truncated file', async () => {
    const result = await validateSite(
      await site({
        ...fixtureSite(),
        'styles.css': `${fixtureCss}\nmain { color: red; } }\n.x { { }\nfooter {\n  padding: 1rem;\n`,
      }),
    );
    expect(result.ok).toBe(false);
    const css = result.problems.filter((p) => p.file === 'styles.css' && p.severity === 'error');
    expect(css.every((p) => p.rule === siteRules.cssSyntax)).toBe(true);
    expect(css.map((p) => p.message)).toContain('"{" is never closed');
    expect(css.map((p) => p.message)).toContain('unexpected "}" without a matching "{"');
    expect(css.find((p) => p.message === '"{" is never closed')?.line).toBe(23);
  });

  it('reports an unterminated comment', async () => {
    const result = await validateSite(await site({ ...fixtureSite(), 'styles.css': `${fixtureCss}/* oops` }));
    expect(result.problems.map((p) => p.message)).toContain('unterminated comment');
  });

  it('warns about unknown properties and mismatched values without failing the site', async () => {
    const result = await validateSite(
      await site({
        ...fixtureSite(),
        'styles.css': `${fixtureCss}h1 { colr: red; color: ; margin: var(--gap); -webkit-text-size-adjust: 100%; }\n`,
      }),
    );
    expect(result.ok).toBe(true);
    expect(result.problems.map((p) => [p.rule, p.severity, p.message])).toEqual([
      [siteRules.cssDeclaration, 'warning', 'colr: Unknown property `colr`'],
      [siteRules.cssDeclaration, 'warning', 'color: the value does not match the property’s syntax'],
    ]);
  });

  it('checks url() references in stylesheets relative to the stylesheet', async () => {
    const result = await validateSite(
      await site({
        ...fixtureSite(),
        'css/extra.css':
          'body { background: url(../img/bg.png); } i { background: url("data:image/gif;base64,R0lGOD") }\n',
        'img/other.png': 'png',
      }),
    );
    expect(result.problems.map((p) => [p.file, p.message])).toEqual([
      ['css/extra.css', '"../img/bg.png" points at img/bg.png, which does not exist'],
    ]);
  });
});

describe('problemCategory', () => {
  it.each([
    ['wcag/h37', 'html'],
    [siteRules.cssSyntax, 'css'],
    [siteRules.cssDeclaration, 'css'],
    [siteRules.title, 'page'],
    [siteRules.oneH1, 'page'],
    [siteRules.internalLink, 'links'],
  ] as const)('%s → %s', (rule, category) => {
    expect(problemCategory({ rule })).toBe(category);
  });
});

describe('resolveReference', () => {
  it.each([
    ['index.html', '/about/', { kind: 'internal', path: 'about', directory: true, fragment: '' }],
    ['index.html', 'about/', { kind: 'internal', path: 'about', directory: true, fragment: '' }],
    ['menu/index.html', '../', { kind: 'internal', path: '', directory: true, fragment: '' }],
    ['menu/index.html', '..', { kind: 'internal', path: '', directory: true, fragment: '' }],
    [
      'menu/index.html',
      'dish.png?v=2#x',
      { kind: 'internal', path: 'menu/dish.png', directory: false, fragment: 'x' },
    ],
    ['menu/index.html', '/caf%C3%A9/', { kind: 'internal', path: 'café', directory: true, fragment: '' }],
    [
      'menu/index.html',
      '#hours',
      { kind: 'internal', path: 'menu/index.html', directory: false, fragment: 'hours' },
    ],
    ['index.html', '../secret', { kind: 'outside' }],
    ['index.html', 'https://example.com/', null],
    ['index.html', '//cdn.example.com/x.js', null],
    ['index.html', 'tel:+44123', null],
    ['index.html', '  ', null],
  ] as const)('%s + %s', (from, reference, expected) => {
    expect(resolveReference(from, reference)).toEqual(expected);
  });
});

describe('decodeEntities', () => {
  it('decodes numeric, markup, Latin-1 and typographic references and leaves unknown ones', () => {
    expect(decodeEntities('Zo&euml;&#39;s Caf&#xE9; &amp; Bar &mdash; &lt;b&gt; &bogus; &#0;')).toBe(
      "Zoë's Café & Bar — <b> &bogus; &#0;",
    );
  });
});
