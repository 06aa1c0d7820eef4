import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Brief, Industry } from '../brief.ts';
import { fixtureBrief, fixturePage, fixtureSite, writeSite } from '../validate/fixtures.ts';
import { attributeOf, listSiteFiles, parseHtml, textOf, validateSite } from '../validate/index.ts';
import {
  checkLlmsTxt,
  checkSeoArtifacts,
  generateSeoArtifacts,
  jsonLdFor,
  openGraphLocale,
  parseXml,
  SEO_BLOCK_START,
  SITEMAP_NAMESPACE,
  schemaTypeByIndustry,
  schemaTypeFor,
  seoCriteria,
  XmlError,
} from './index.ts';

const BASE = 'https://marias.example';

const dirs: string[] = [];
async function site(files: Record<string, string> = fixtureSite()): Promise<string> {
  const dir = await writeSite(files);
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const read = (dir: string, path: string) => readFile(join(dir, path), 'utf8');

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of (await listSiteFiles(dir)).all) files[path] = await read(dir, path);
  return files;
}

function ldJsonOf(html: string): Array<Record<string, unknown>> {
  return parseHtml(html)
    .querySelectorAll('script[type="application/ld+json"]')
    .map((script) => JSON.parse(script.textContent) as Record<string, unknown>);
}

describe('schemaTypeFor', () => {
  it.each([
    ['restaurant', 'Restaurant'],
    ['cafe', 'CafeOrCoffeeShop'],
    ['trades', 'HomeAndConstructionBusiness'],
    ['salon', 'HairSalon'],
    ['health', 'MedicalBusiness'],
    ['photographer', 'ProfessionalService'],
    ['retail', 'Store'],
    ['professional', 'ProfessionalService'],
    ['other', 'LocalBusiness'],
  ] as const)('%s → %s', (industry, type) => {
    expect(schemaTypeFor(industry)).toBe(type);
  });

  it('covers every industry of the brief', () => {
    expect(Object.keys(schemaTypeByIndustry).sort()).toEqual([...Industry.options].sort());
  });
});

describe('jsonLdFor', () => {
  it('states the brief’s facts with schema.org names', () => {
    expect(jsonLdFor(fixtureBrief(), `${BASE}/`)).toEqual({
      '@context': 'https://schema.org',
      '@type': 'Restaurant',
      name: 'Maria’s Pizzeria',
      description: 'A family pizzeria baking Neapolitan pizza in a wood-fired oven since 1998.',
      url: `${BASE}/`,
      telephone: '+44 1632 960123',
      email: 'hello@marias.example',
      address: {
        '@type': 'PostalAddress',
        streetAddress: '12 Market Street',
        addressLocality: 'Leeds',
        postalCode: 'LS1 6DT',
        addressCountry: 'GB',
      },
      openingHoursSpecification: [
        {
          '@type': 'OpeningHoursSpecification',
          dayOfWeek: [
            'https://schema.org/Monday',
            'https://schema.org/Tuesday',
            'https://schema.org/Wednesday',
            'https://schema.org/Thursday',
            'https://schema.org/Friday',
            'https://schema.org/Saturday',
          ],
          opens: '11:00',
          closes: '22:00',
        },
        {
          '@type': 'OpeningHoursSpecification',
          dayOfWeek: ['https://schema.org/Sunday'],
          opens: '12:00',
          closes: '20:00',
        },
      ],
      sameAs: ['https://www.instagram.com/mariaspizzeria.example'],
    });
  });

  it('uses areaServed for a business without an address and omits what the brief lacks', () => {
    const brief = fixtureBrief({
      industry: 'trades',
      contact: { phone: '07700 900123', serviceArea: ['Leeds', 'Bradford'] },
      hours: [],
      social: [],
    });
    const data = jsonLdFor(brief, BASE);
    expect(data['@type']).toBe('HomeAndConstructionBusiness');
    expect(data.areaServed).toEqual(['Leeds', 'Bradford']);
    for (const absent of ['address', 'email', 'openingHoursSpecification', 'sameAs']) {
      expect(data).not.toHaveProperty(absent);
    }
  });

  it('never invents servesCuisine or priceRange, but keeps them when the brief has them', () => {
    const plain = jsonLdFor(fixtureBrief(), BASE);
    expect(plain).not.toHaveProperty('servesCuisine');
    expect(plain).not.toHaveProperty('priceRange');
    const richer = { ...fixtureBrief(), servesCuisine: 'Neapolitan pizza', priceRange: '££' } as Brief;
    expect(jsonLdFor(richer, BASE)).toMatchObject({ servesCuisine: 'Neapolitan pizza', priceRange: '££' });
  });
});

describe('generateSeoArtifacts', () => {
  it('writes a sitemap urlset with one absolute, sorted loc per page', async () => {
    const dir = await site({
      ...fixtureSite(),
      'legal.html': fixturePage({ title: 'Legal', heading: 'Legal', main: '' }),
    });
    await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: `${BASE}/` });
    const root = parseXml(await read(dir, 'sitemap.xml'));
    expect(root.name).toBe('urlset');
    expect(root.attributes.xmlns).toBe(SITEMAP_NAMESPACE);
    const locs = root.children.map((url) => {
      expect(url.name).toBe('url');
      return url.children.find((child) => child.name === 'loc')?.text ?? '';
    });
    for (const loc of locs) {
      expect(new URL(loc).href).toBe(loc);
      expect(loc.startsWith(`${BASE}/`)).toBe(true);
    }
    expect(locs).toEqual([`${BASE}/`, `${BASE}/contact/`, `${BASE}/legal.html`, `${BASE}/menu/`]);
  });

  it('keeps a path prefix of the base URL', async () => {
    const dir = await site();
    await generateSeoArtifacts({
      siteDir: dir,
      brief: fixtureBrief(),
      baseUrl: 'http://localhost:8888/preview/p1',
    });
    expect(await read(dir, 'sitemap.xml')).toContain('<loc>http://localhost:8888/preview/p1/menu/</loc>');
    expect(await read(dir, 'robots.txt')).toContain(
      'Sitemap: http://localhost:8888/preview/p1/sitemap.xml\n',
    );
  });

  it('writes robots.txt allowing everything and naming the sitemap', async () => {
    const dir = await site();
    await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    expect(await read(dir, 'robots.txt')).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${BASE}/sitemap.xml\n`);
  });

  it('writes llms.txt in the llmstxt.org shape', async () => {
    const dir = await site();
    await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    const llms = await read(dir, 'llms.txt');
    const lines = llms.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '# Maria’s Pizzeria',
      '',
      '> Wood-fired pizza in the heart of Leeds',
      '',
    ]);
    expect(llms).toContain(
      `## Pages\n\n- [Maria’s Pizzeria](${BASE}/): Wood-fired pizza in the heart of Leeds since 1998.\n` +
        `- [Contact — Maria’s Pizzeria](${BASE}/contact/): Call us or drop by; we would love to see you.\n`,
    );
    expect(llms).toContain(
      '## Contact\n\n- Phone: +44 1632 960123\n- Email: hello@marias.example\n' +
        '- Address: 12 Market Street, Leeds, LS1 6DT, GB\n- Open Monday–Saturday: 11:00–22:00\n' +
        '- Open Sunday: 12:00–20:00\n- Profile: <https://www.instagram.com/mariaspizzeria.example>\n',
    );
    expect(llms).toContain('- Takeaway (from £9)\n');
    const urls = ['', 'contact/', 'menu/'].map((path) => `${BASE}/${path}`);
    expect(checkLlmsTxt(llms, urls)).toEqual([]);
  });

  it('summarises with the description’s first sentence when there is no tagline', async () => {
    const dir = await site();
    const brief = fixtureBrief({ tagline: undefined, description: 'Pizza since 1998. Family run, always.' });
    await generateSeoArtifacts({ siteDir: dir, brief, baseUrl: BASE });
    expect((await read(dir, 'llms.txt')).split('\n')[2]).toBe('> Pizza since 1998.');
  });

  it('puts one managed block in every head: canonical, description, Open Graph and JSON-LD', async () => {
    const dir = await site();
    await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    const menu = parseHtml(await read(dir, 'menu/index.html'));
    const content = (selector: string) => attributeOf(menu.querySelector(selector)!, 'content');
    expect(attributeOf(menu.querySelector('link[rel="canonical"]')!, 'href')).toBe(`${BASE}/menu/`);
    expect(content('meta[name="description"]')).toBe(
      'Every pizza is made to order with dough rested for 48 hours.',
    );
    expect(content('meta[property="og:title"]')).toBe('Menu — Maria’s Pizzeria');
    expect(content('meta[property="og:url"]')).toBe(`${BASE}/menu/`);
    expect(content('meta[property="og:type"]')).toBe('website');
    expect(content('meta[property="og:site_name"]')).toBe('Maria’s Pizzeria');
    expect(content('meta[property="og:locale"]')).toBe('en_GB');
    expect(menu.querySelector('head meta[property="og:description"]')).not.toBeNull();
    expect(ldJsonOf(await read(dir, 'menu/index.html'))).toEqual([jsonLdFor(fixtureBrief(), BASE)]);
  });

  it('falls back to the brief for a page without a paragraph', async () => {
    const dir = await site({ 'index.html': fixturePage({ title: 'Home', heading: 'Home', main: '' }) });
    await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    const home = parseHtml(await read(dir, 'index.html'));
    expect(attributeOf(home.querySelector('meta[name="description"]')!, 'content')).toBe(
      'Wood-fired pizza in the heart of Leeds',
    );
  });

  it('keeps the author’s own description and canonical instead of repeating them', async () => {
    const page = fixturePage({ title: 'Home', heading: 'Home', main: '      <p>Short.</p>' }).replace(
      '</title>',
      `</title>\n    <meta name="description" content="Our own words &amp; more.">\n    <link rel="canonical" href="${BASE}/">`,
    );
    const dir = await site({ 'index.html': page });
    await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    const html = await read(dir, 'index.html');
    const root = parseHtml(html);
    expect(root.querySelectorAll('meta[name="description"]')).toHaveLength(1);
    expect(root.querySelectorAll('link[rel="canonical"]')).toHaveLength(1);
    expect(attributeOf(root.querySelector('meta[property="og:description"]')!, 'content')).toBe(
      'Our own words & more.',
    );
  });

  it('is idempotent: a second run writes nothing and leaves every byte as it was', async () => {
    const inlineHead = fixturePage({ title: 'Inline', heading: 'Inline', main: '' }).replace(
      /<\/title>\s*<link rel="stylesheet" href="\/styles.css">\s*<\/head>/,
      '</title><link rel="stylesheet" href="/styles.css"></head>',
    );
    const dir = await site({ ...fixtureSite(), 'inline/index.html': inlineHead });
    const input = { siteDir: dir, brief: fixtureBrief(), baseUrl: BASE };
    const first = await generateSeoArtifacts(input);
    expect(first.written).toEqual([
      'contact/index.html',
      'index.html',
      'inline/index.html',
      'llms.txt',
      'menu/index.html',
      'robots.txt',
      'sitemap.xml',
    ]);
    const after = await snapshot(dir);
    expect(await generateSeoArtifacts(input)).toEqual({ written: [], skipped: [] });
    expect(await snapshot(dir)).toEqual(after);
    expect(await generateSeoArtifacts(input)).toEqual({ written: [], skipped: [] });
  });

  it('replaces the block when the page changes instead of adding another', async () => {
    const dir = await site();
    const input = { siteDir: dir, brief: fixtureBrief(), baseUrl: BASE };
    await generateSeoArtifacts(input);
    const page = await read(dir, 'menu/index.html');
    await writeFile(
      join(dir, 'menu/index.html'),
      page.replace('<p>Every pizza is made to order', '<p>Every pizza, every calzone, is made to order'),
    );
    expect((await generateSeoArtifacts(input)).written).toEqual(['llms.txt', 'menu/index.html']);
    const html = await read(dir, 'menu/index.html');
    expect(html.split(SEO_BLOCK_START)).toHaveLength(2);
    expect(attributeOf(parseHtml(html).querySelector('meta[name="description"]')!, 'content')).toMatch(
      /^Every pizza, every calzone/,
    );
  });

  it('produces pages that still pass validation', async () => {
    const dir = await site();
    await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    expect((await validateSite(dir)).problems).toEqual([]);
  });

  it('escapes names with quotes, ampersands, markup and non-Latin text in XML, HTML and JSON', async () => {
    const name = 'Zoë’s Café & Bar "Ἀθῆναι" </script><!--';
    const brief = fixtureBrief({
      businessName: name,
      industry: 'cafe',
      tagline: 'Καφές & γλυκά — 東京の味 <b>',
      description: 'Ελληνικός καφές. 日本のお菓子もあります。',
      language: 'el',
    });
    const greekPage = fixturePage({
      title: 'Μενού &amp; τιμές',
      heading: 'Μενού',
      main: '      <p>Ελληνικός καφές &amp; γλυκά του κουταλιού, φτιαγμένα κάθε πρωί.</p>',
      lang: 'el',
    });
    const dir = await site({ ...fixtureSite(), 'μενού/index.html': greekPage });
    await generateSeoArtifacts({ siteDir: dir, brief, baseUrl: `${BASE}/` });

    const sitemap = parseXml(await read(dir, 'sitemap.xml'));
    const locs = sitemap.children.map((url) => url.children[0]?.text);
    expect(locs).toEqual([
      `${BASE}/`,
      `${BASE}/${encodeURIComponent('μενού')}/`, // `%CE…` sorts before letters
      `${BASE}/contact/`,
      `${BASE}/menu/`,
    ]);

    const html = await read(dir, 'μενού/index.html');
    const root = parseHtml(html);
    expect(root.querySelectorAll('script')).toHaveLength(1);
    expect(attributeOf(root.querySelector('meta[property="og:site_name"]')!, 'content')).toBe(name);
    expect(attributeOf(root.querySelector('meta[property="og:title"]')!, 'content')).toBe('Μενού & τιμές');
    expect(attributeOf(root.querySelector('meta[property="og:locale"]')!, 'content')).toBe('el');
    expect(attributeOf(root.querySelector('meta[name="description"]')!, 'content')).toBe(
      'Ελληνικός καφές & γλυκά του κουταλιού, φτιαγμένα κάθε πρωί.',
    );
    expect(textOf(root.querySelector('title')!)).toBe('Μενού & τιμές');
    expect(html).not.toContain('</script><!--');
    const [data] = ldJsonOf(html);
    expect(data).toMatchObject({ '@type': 'CafeOrCoffeeShop', name });

    const llms = await read(dir, 'llms.txt');
    expect(llms.startsWith(`# ${name}\n\n> Καφές & γλυκά — 東京の味 <b>\n`)).toBe(true);
    expect(llms).toContain(`- [Μενού & τιμές](${BASE}/${encodeURIComponent('μενού')}/): Ελληνικός`);
    expect((await validateSite(dir)).problems).toEqual([]);
  });

  it('skips a file with no head or body to anchor the block on', async () => {
    const dir = await site({
      'index.html': fixtureSite()['index.html']!,
      'fragment.html': '<p>partial</p>\n',
    });
    const result = await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    expect(result.skipped).toEqual(['fragment.html']);
    expect(await read(dir, 'fragment.html')).toBe('<p>partial</p>\n');
  });

  it('rejects a base URL that is not absolute http(s)', async () => {
    const dir = await site();
    await expect(
      generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: '/relative' }),
    ).rejects.toThrow(/absolute/);
  });
});

describe('checkSeoArtifacts', () => {
  it('passes every criterion after generation', async () => {
    const dir = await site();
    await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    const criteria = await checkSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    expect(criteria.map((c) => c.name)).toEqual(Object.values(seoCriteria));
    expect(criteria.filter((c) => !c.passed)).toEqual([]);
  });

  it('fails each criterion with a reason when the artifacts are missing', async () => {
    const criteria = await checkSeoArtifacts({ siteDir: await site(), brief: fixtureBrief(), baseUrl: BASE });
    expect(criteria.map((c) => [c.passed, c.detail])).toEqual([
      [false, 'missing'],
      [false, 'missing'],
      [false, 'missing'],
      [false, expect.stringMatching(/^contact\/index.html: no canonical link; index.html/)],
      [false, expect.stringMatching(/no meta description/)],
      [false, expect.stringMatching(/no JSON-LD/)],
    ]);
  });

  it('notices a stale base URL in the sitemap, robots.txt and canonical links', async () => {
    const dir = await site();
    await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: 'https://old.example' });
    const criteria = await checkSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    const detail = (name: string) => criteria.find((c) => c.name === name)?.detail ?? '';
    expect(criteria.filter((c) => !c.passed).map((c) => c.name)).toEqual([
      seoCriteria.sitemap,
      seoCriteria.robots,
      seoCriteria.llms,
      seoCriteria.canonical,
    ]);
    expect(detail(seoCriteria.sitemap)).toMatch(
      /^https:\/\/old.example\/ is not under https:\/\/marias.example\//,
    );
    expect(detail(seoCriteria.robots)).toBe(`no "Sitemap: ${BASE}/sitemap.xml" line`);
    expect(detail(seoCriteria.llms)).toContain(`${BASE}/ is not listed`);
    expect(detail(seoCriteria.canonical)).toContain(
      `canonical is https://old.example/menu/, expected ${BASE}/menu/`,
    );
  });

  it('notices a page missing from the artifacts, the wrong business type and JSON-LD that does not parse', async () => {
    const dir = await site();
    await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
    await writeFile(join(dir, 'new.html'), fixturePage({ title: 'New', heading: 'New', main: '' }));
    const home = await read(dir, 'index.html');
    await writeFile(
      join(dir, 'index.html'),
      home.replace('"@type": "Restaurant"', '"@type": "Restaurant",,'),
    );
    const criteria = await checkSeoArtifacts({
      siteDir: dir,
      brief: fixtureBrief({ industry: 'cafe' }),
      baseUrl: BASE,
    });
    const detail = (name: string) => criteria.find((c) => c.name === name)?.detail ?? '';
    expect(detail(seoCriteria.sitemap)).toBe(`${BASE}/new.html is missing`);
    expect(detail(seoCriteria.llms)).toBe(`${BASE}/new.html is not listed`);
    expect(detail(seoCriteria.canonical)).toBe('new.html: no canonical link');
    expect(detail(seoCriteria.jsonLd)).toMatch(/(^|; )index.html: JSON-LD does not parse/);
    expect(detail(seoCriteria.jsonLd)).toContain(
      'menu/index.html: JSON-LD @type is Restaurant, expected CafeOrCoffeeShop',
    );
    expect(detail(seoCriteria.jsonLd)).toContain('new.html: no JSON-LD');
    expect(criteria.find((c) => c.name === seoCriteria.robots)?.passed).toBe(true);
  });
});

describe('checkLlmsTxt', () => {
  it('names what is out of shape', () => {
    expect(checkLlmsTxt('Maria\n> x\n\n- [a](b)\n', ['https://x/'])).toEqual([
      'the first line is not "# <name>"',
      'the name is not followed by a blank line and a "> summary" line',
      'no "## Pages" section',
    ]);
    expect(checkLlmsTxt('# M\n\n> s\n\n## Pages\n\n- broken line\n', ['https://x/'])).toEqual([
      '"- broken line" is not "- [title](url): description"',
      'https://x/ is not listed',
      'no "## Contact" section',
    ]);
  });
});

describe('parseXml', () => {
  it('reads elements, attributes, entities and CDATA', () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<!-- c --><a x="1 &amp; 2"><b>Zo&#235;&apos;s &lt;caf&#xE9;&gt;</b><c/><![CDATA[<raw>]]></a>\n',
    );
    expect(root).toEqual({
      name: 'a',
      attributes: { x: '1 & 2' },
      text: '<raw>',
      children: [
        { name: 'b', attributes: {}, children: [], text: "Zoë's <café>" },
        { name: 'c', attributes: {}, children: [], text: '' },
      ],
    });
  });

  it.each([
    ['<a><b></a>', /closes/],
    ['<a>Café & Bar</a>', /bare "&"/],
    ['<a x=1></a>', /quoted/],
    ['<a>', /never closed/],
    ['<a></a><b></b>', /after the root/],
    ['<!DOCTYPE a><a></a>', /DTD/],
    ['<a>&nbsp;</a>', /unknown entity/],
  ])('rejects %s', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
    expect(() => parseXml(xml)).toThrow(message);
  });
});

describe('openGraphLocale', () => {
  it.each([
    ['en', 'en'],
    ['en-GB', 'en_GB'],
    ['pt-br', 'pt_BR'],
    ['ja', 'ja'],
    ['zh-Hant-TW', 'zh'],
  ])('%s → %s', (language, locale) => {
    expect(openGraphLocale(language)).toBe(locale);
  });
});
