import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { type Brief, Industry, Tone } from '../brief.ts';
import { findAll, type HtmlElement, parseHtml, visibleText } from '../intent/html-text.ts';
import {
  briefFixtures,
  dentalBrief,
  dogWalkerBrief,
  photographerBrief,
  pizzeriaBrief,
  plumberBrief,
  salonBrief,
  zoesCafeBrief,
} from '../testing/briefs.ts';
import { mapUrl, telHref } from './facts.ts';
import { generateSite, type SiteFile } from './generate.ts';
import { deriveMockup } from './mockup.ts';

/**
 * The presets the lead asked for, with the two rules the project's own validator (validate/html.ts)
 * also re-aims: `tel-non-breaking` would replace the owner's spaces and hyphens in the phone number
 * with look-alike characters (CSS `white-space: nowrap` keeps it on one line instead), and
 * `require-sri` is meant for third-party resources, not the site's own stylesheet.
 */
const validator = new HtmlValidate({
  extends: ['html-validate:recommended', 'html-validate:document'],
  rules: { 'tel-non-breaking': 'off', 'require-sri': ['error', { target: 'crossorigin' }] },
});

const PAGE_LIMIT = 100 * 1024;

function siteOf(brief: Brief, mockup = deriveMockup(brief)) {
  const files = generateSite(brief, mockup);
  const pages = files.filter((file) => file.path.endsWith('.html'));
  return { files, pages, mockup, byPath: new Map(files.map((file) => [file.path, file.content])) };
}

async function validationErrors(pages: SiteFile[]): Promise<string[]> {
  const errors: string[] = [];
  for (const page of pages) {
    const report = await validator.validateString(page.content, page.path);
    for (const result of report.results) {
      for (const m of result.messages)
        errors.push(`${page.path}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
    }
  }
  return errors;
}

const elements = (root: HtmlElement, tag: string) => findAll(root, (el) => el.tag === tag);
const outer = (content: string, tag: string) =>
  content.match(new RegExp(`<${tag}[\\s>][\\s\\S]*?</${tag}>`))?.[0];

/** Where a root-relative link lands in the generated files. */
function targetOf(href: string): string {
  const path = href.split('#')[0]!.replace(/^\//, '');
  return path === '' ? 'index.html' : path.endsWith('/') ? `${path}index.html` : path;
}

describe.each(briefFixtures)('the generated site for $id', ({ brief }) => {
  const { files, pages, mockup, byPath } = siteOf(brief);

  it('has a page per mockup page, a 404 page and one stylesheet', () => {
    const expected = mockup.pages.map((page) => (page.slug ? `${page.slug}/index.html` : 'index.html'));
    expect(files.map((file) => file.path).sort()).toEqual([...expected, '404.html', 'styles.css'].sort());
  });

  it('passes html-validate (recommended + document) with no errors', async () => {
    expect(await validationErrors(pages)).toEqual([]);
  });

  it('keeps every page under 100 KB', () => {
    for (const file of files) expect(Buffer.byteLength(file.content), file.path).toBeLessThan(PAGE_LIMIT);
  });

  it('loads nothing from other sites and runs no script', () => {
    const ownLinks = new Set([
      ...brief.social,
      ...(brief.contact.address ? [mapUrl(brief.contact.address)] : []),
    ]);
    for (const page of pages) {
      const root = parseHtml(page.content);
      expect(elements(root, 'script'), page.path).toEqual([]);
      for (const el of findAll(root, (e) => e.tag !== 'a' && Boolean(e.attrs.src ?? e.attrs.href))) {
        const url = el.attrs.src ?? el.attrs.href ?? '';
        expect(url, `${page.path} <${el.tag}>`).toMatch(/^(\/(?!\/)|data:)/);
      }
      for (const a of elements(root, 'a')) {
        const href = a.attrs.href ?? '';
        if (/^(https?:)?\/\//.test(href)) expect(ownLinks, `${page.path}: ${href}`).toContain(href);
      }
    }
    const css = byPath.get('styles.css') ?? '';
    expect(css).not.toMatch(/@import|url\((?!"?data:)/);
  });

  it('shows name, address and phone identically on every page', () => {
    const footers = pages.map((page) => outer(page.content, 'footer'));
    expect(new Set(footers).size).toBe(1);
    const footer = parseHtml(footers[0] ?? '');
    const text = visibleText(footer);
    expect(text).toContain(brief.businessName);
    if (brief.contact.phone) expect(text).toContain(brief.contact.phone);
    if (brief.contact.email) expect(text).toContain(brief.contact.email);
    if (brief.contact.address) {
      const address = visibleText(elements(footer, 'address')[0]!);
      for (const field of Object.values(brief.contact.address)) expect(address).toContain(field);
    }
  });

  it('links only to pages and files that exist', () => {
    for (const page of pages) {
      const root = parseHtml(page.content);
      const ids = new Set(findAll(root, (el) => Boolean(el.attrs.id)).map((el) => el.attrs.id));
      for (const el of findAll(root, (e) => e.tag === 'a' || e.tag === 'link')) {
        const href = el.attrs.href ?? '';
        if (href.startsWith('#')) expect(ids, `${page.path}: ${href}`).toContain(href.slice(1));
        else if (href.startsWith('/')) expect(byPath.has(targetOf(href)), `${page.path}: ${href}`).toBe(true);
        else expect(href, page.path).toMatch(/^(https:\/\/|tel:\+?\d+$|mailto:|data:)/);
      }
    }
  });

  it('is accessible by construction: language, one h1, skip link, landmarks, current page', () => {
    for (const page of pages) {
      const root = parseHtml(page.content);
      expect(elements(root, 'html')[0]?.attrs.lang).toBe(brief.language);
      expect(elements(root, 'h1'), page.path).toHaveLength(1);
      expect(elements(root, 'a')[0]?.attrs.href, 'skip link first').toBe('#main');
      expect(elements(root, 'main')[0]?.attrs.id).toBe('main');
      for (const tag of ['header', 'nav', 'main', 'footer'])
        expect(elements(root, tag).length, tag).toBeGreaterThan(0);
      const current = findAll(root, (el) => el.attrs['aria-current'] === 'page');
      if (page.path === '404.html') {
        expect(current).toEqual([]);
      } else {
        expect(current).toHaveLength(1);
        expect(targetOf(current[0]?.attrs.href ?? '')).toBe(page.path);
      }
    }
    expect(byPath.get('styles.css')).toMatch(/:focus-visible \{ outline: 3px solid/);
  });

  it('calls and emails the brief’s contacts, showing them as written', () => {
    for (const page of pages) {
      const root = parseHtml(page.content);
      const tel = findAll(root, (el) => el.tag === 'a' && (el.attrs.href ?? '').startsWith('tel:'));
      const mail = findAll(root, (el) => el.tag === 'a' && (el.attrs.href ?? '').startsWith('mailto:'));
      if (!brief.contact.phone) expect(tel).toEqual([]);
      if (!brief.contact.email) expect(mail).toEqual([]);
      for (const link of tel) {
        expect(link.attrs.href).toBe(telHref(brief));
        expect(link.attrs.href).toMatch(/^tel:\+\d{8,15}$/);
        expect(visibleText(link)).toMatch(new RegExp(`${escapeRegExp(brief.contact.phone ?? '')}$`));
      }
      for (const link of mail) expect(link.attrs.href).toBe(`mailto:${brief.contact.email}`);
    }
  });

  it('shows opening hours only when the brief has them', () => {
    const tables = pages.flatMap((page) => elements(parseHtml(page.content), 'table'));
    if (brief.hours.length === 0) expect(tables).toEqual([]);
    else expect(tables.length).toBeGreaterThan(0);
  });

  it('lists every service on the offering page, with prices only where given', () => {
    const offering = mockup.pages[1]!;
    const root = parseHtml(byPath.get(`${offering.slug}/index.html`) ?? '');
    const text = visibleText(root);
    for (const service of brief.services) expect(text).toContain(service.name);
    const prices = findAll(root, (el) => (el.attrs.class ?? '').split(' ').includes('price')).map(
      visibleText,
    );
    expect(prices).toEqual(brief.services.flatMap((s) => (s.price ? [s.price] : [])));
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('generateSite for any brief', () => {
  const combinations = Industry.options.flatMap((industry) =>
    Tone.options.map((tone) => ({
      industry,
      tone,
      brief: { ...(industry === 'trades' ? plumberBrief : dogWalkerBrief), industry, tone },
    })),
  );

  it.each(combinations)('$industry × $tone is valid', async ({ brief }) => {
    const { pages } = siteOf(brief);
    expect(await validationErrors(pages)).toEqual([]);
  });

  it('escapes markup in every owner field', () => {
    const hostile: Brief = {
      ...pizzeriaBrief,
      businessName: '<script>alert("name")</script> & Sons',
      tagline: '<img src=x onerror=alert(1)>',
      description: 'Fish & chips <b>bold</b> "quoted"',
      services: [{ name: '</li><li>Injected', price: '<£5>' }],
      audience: "O'Brien's <friends>",
    };
    const { pages } = siteOf(hostile);
    for (const page of pages) {
      expect(page.content).not.toMatch(/<script|<img|<b>|<\/li><li>Injected|<friends>/);
      expect(page.content).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; Sons');
    }
  });

  it('keeps titles short and pages small for a long name and forty services', async () => {
    const services = Array.from({ length: 40 }, (_, i) => ({
      name: `Service number ${i + 1} with a fairly long name`,
      description: 'A description of reasonable length that explains what the service includes. '.repeat(6),
      price: `£${i + 10}`,
    }));
    const brief: Brief = { ...salonBrief, businessName: `${'A'.repeat(60)} ${'B'.repeat(59)}`, services };
    const { files, pages } = siteOf(brief);
    expect(await validationErrors(pages)).toEqual([]);
    for (const file of files) expect(Buffer.byteLength(file.content)).toBeLessThan(PAGE_LIMIT);
  });

  it('follows an edited mockup: pages removed, sections reordered, a gallery without photos', async () => {
    const mockup = deriveMockup(dentalBrief);
    mockup.pages = mockup.pages.filter((page) => page.slug !== 'about');
    mockup.pages[0]!.sections = ['hero', 'gallery', 'hours', 'location', 'services', 'call_to_action'];
    const { pages, byPath } = siteOf(dentalBrief, mockup);
    expect(byPath.has('about/index.html')).toBe(false);
    expect(pages.some((page) => page.content.includes('href="/about/"'))).toBe(false);
    expect(await validationErrors(pages)).toEqual([]);
    const home = byPath.get('index.html') ?? '';
    expect(home).not.toMatch(/gallery|<img/);
    expect(home.indexOf('<table class="hours">')).toBeLessThan(home.indexOf('<h2>Treatments</h2>'));
  });

  it('writes the Japanese site in Japanese', () => {
    const { byPath } = siteOf(photographerBrief);
    const home = byPath.get('index.html') ?? '';
    expect(home).toContain('<html lang="ja">');
    expect(home).toContain('本文へスキップ');
    expect(home).toContain('水〜日');
    expect(home).toContain('href="tel:+81752314870"');
  });

  it('offers email as the main action when there is no phone', () => {
    const home = siteOf(dentalBrief).byPath.get('index.html') ?? '';
    const hero = home.slice(home.indexOf('class="band hero"'), home.indexOf('class="hero-card"'));
    expect(hero).toContain(
      '<a class="email button" href="mailto:reception@harboursidedental.co.nz">Email us</a>',
    );
    expect(home).not.toContain('tel:');
  });

  it('shows the escaped café name exactly once per landmark', () => {
    const home = siteOf(zoesCafeBrief).byPath.get('index.html') ?? '';
    expect(home).toContain('<a class="brand" href="/">Zoë\'s Café &amp; Bar</a>');
    expect(home).toContain("<h1>Zoë's Café &amp; Bar</h1>");
  });
});
