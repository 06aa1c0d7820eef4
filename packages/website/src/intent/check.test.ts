import { describe, expect, it } from 'vitest';
import type { Brief } from '../brief.ts';
import { generateSite, type SiteFile } from '../site/generate.ts';
import { deriveMockup } from '../site/mockup.ts';
import { briefFixtures, dentalBrief, pizzeriaBrief, plumberBrief } from '../testing/briefs.ts';
import { checkIntent } from './check.ts';

const siteOf = (brief: Brief) => generateSite(brief, deriveMockup(brief));

/** The failing criteria as `name: detail`, the shape every assertion below reads. */
function failures(brief: Brief, files: SiteFile[]): string[] {
  return checkIntent(brief, files)
    .criteria.filter((c) => !c.passed)
    .map((c) => `${c.name}: ${c.detail}`);
}

/** The site with one page's content changed by `edit` (which must change something). */
function mutate(files: SiteFile[], path: string, edit: (content: string) => string): SiteFile[] {
  return files.map((file) => {
    if (file.path !== path) return file;
    const content = edit(file.content);
    if (content === file.content) throw new Error(`mutation did not change ${path}`);
    return { ...file, content };
  });
}

/** Replaces text inside the page's footer only. */
const inFooter = (from: string | RegExp, to: string) => (content: string) =>
  content.replace(/<footer[\s\S]*<\/footer>/, (footer) => footer.replace(from, to));

const intoMain = (markup: string) => (content: string) => content.replace('</main>', `${markup}\n</main>`);

describe('checkIntent on generated sites', () => {
  it.each(briefFixtures)('passes every criterion for $id', ({ brief }) => {
    const result = checkIntent(brief, siteOf(brief));
    expect(result.criteria.filter((c) => !c.passed)).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('names what it checked', () => {
    const names = checkIntent(pizzeriaBrief, siteOf(pizzeriaBrief)).criteria.map((c) => c.name);
    expect(names).toEqual([
      'site has pages',
      'business name on every page',
      'phone numbers match the brief',
      'phone number is on the site',
      'email addresses match the brief',
      'email address is on the site',
      'address matches the brief wherever shown',
      'address is on the site',
      'opening hours match the brief',
      'every service is listed',
      'prices come from the brief',
      'no placeholder text',
      'no invented claims',
    ]);
  });

  it('is deterministic', () => {
    const files = siteOf(pizzeriaBrief);
    expect(checkIntent(pizzeriaBrief, files)).toEqual(checkIntent(pizzeriaBrief, files));
  });

  it('ignores files that are not HTML', () => {
    const files = [...siteOf(pizzeriaBrief), { path: 'notes.txt', content: 'TODO lorem ipsum 555-0100' }];
    expect(failures(pizzeriaBrief, files)).toEqual([]);
  });
});

describe('checkIntent catches a site that says something else', () => {
  const site = siteOf(pizzeriaBrief);

  it.each<[string, string, (content: string) => string, string[]]>([
    [
      'a wrong phone number in the footer of one page',
      'about/index.html',
      inFooter('>0113 496 0123<', '>0113 496 0999<'),
      [
        'phone numbers match the brief: about/index.html: phone "0113 496 0999" differs from the brief\'s "0113 496 0123"',
      ],
    ],
    [
      'a click-to-call link that dials another number',
      'contact/index.html',
      inFooter('tel:+441134960123', 'tel:+441134960999'),
      [
        'phone numbers match the brief: contact/index.html: tel:+441134960999 does not dial the brief\'s "0113 496 0123"',
      ],
    ],
    [
      'a 555 placeholder number',
      'contact/index.html',
      intoMain('<p>Or call (415) 555-0134</p>'),
      [
        'phone numbers match the brief: contact/index.html: phone "(415) 555-0134" differs from the brief\'s "0113 496 0123"',
        'no placeholder text: contact/index.html: 555 placeholder number ("555-0134")',
      ],
    ],
    [
      'an email address the owner never gave',
      'index.html',
      (c) => c.replace('mailto:ciao@mariaspizzeria.co.uk', 'mailto:info@mariaspizzeria.com'),
      [
        'email addresses match the brief: index.html: mailto:info@mariaspizzeria.com differs from the brief\'s "ciao@mariaspizzeria.co.uk"',
      ],
    ],
    [
      'an example.com address',
      'about/index.html',
      intoMain('<p>Write to <a href="mailto:hello@example.com">hello@example.com</a></p>'),
      [
        'email addresses match the brief: about/index.html: email "hello@example.com" differs from the brief\'s "ciao@mariaspizzeria.co.uk"; about/index.html: mailto:hello@example.com differs from the brief\'s "ciao@mariaspizzeria.co.uk"',
        'no placeholder text: about/index.html: example.com address ("hello@example.com"); about/index.html: placeholder link "mailto:hello@example.com"',
      ],
    ],
    [
      'a mistyped street on the contact page',
      'contact/index.html',
      (c) =>
        c.replace(
          '<address class="address-block">14 Call Lane',
          '<address class="address-block">41 Call Lane',
        ),
      [
        'address matches the brief wherever shown: contact/index.html: address "41 Call Lane Leeds LS1 6DT United Kingdom" lacks "14 Call Lane"',
      ],
    ],
    [
      "wrong hours for one day in one page's footer",
      'menu/index.html',
      inFooter(
        '<td><span class="interval">17:00–22:00</span>',
        '<td><span class="interval">17:00–23:00</span>',
      ),
      [
        'opening hours match the brief: menu/index.html: Mon shows "17:00–23:00" but the brief says Mon 17:00–22:00',
      ],
    ],
    [
      'a time the brief never mentions',
      'index.html',
      intoMain('<p>Happy hour until 19:00</p>'),
      ["opening hours match the brief: index.html: time 19:00 is not in the brief's hours"],
    ],
    [
      'a missing service',
      'menu/index.html',
      (c) =>
        c.replace(
          /<li class="menu-item">\s*<div class="menu-item-head"><h2>Tiramisu<\/h2>[\s\S]*?<\/li>/,
          '',
        ),
      ['every service is listed: "Tiramisu" is not on menu/index.html'],
    ],
    [
      'a changed price',
      'menu/index.html',
      (c) => c.replace('<p class="price">£9.50</p>', '<p class="price">£8.50</p>'),
      ['prices come from the brief: menu/index.html: price "£8.50" is not in the brief'],
    ],
    [
      'a fake testimonial',
      'index.html',
      intoMain(
        '<section><h2>What our customers say</h2><blockquote><p>Best pizza in town! ★★★★★</p></blockquote></section>',
      ),
      [
        'no invented claims: index.html: testimonials ("What our customers say"); index.html: ratings ("★"); index.html: superlatives ("Best pizza in town")',
      ],
    ],
    [
      'statistics, awards and experience',
      'about/index.html',
      intoMain(
        '<p>Award-winning pizza with 20 years of experience and 10,000+ happy customers. Voted #1.</p>',
      ),
      [
        'no invented claims: about/index.html: awards ("Award"); about/index.html: statistics ("10,000+"); about/index.html: years of experience ("years of experience"); about/index.html: number one ("#1"); about/index.html: endorsements ("happy customers")',
      ],
    ],
    [
      'lorem ipsum',
      'about/index.html',
      intoMain('<p>Lorem ipsum dolor sit amet.</p>'),
      ['no placeholder text: about/index.html: lorem ipsum ("Lorem ipsum")'],
    ],
    [
      'template leftovers',
      'contact/index.html',
      intoMain('<p>{{opening_hours}} TODO [Your Company]</p>'),
      [
        'no placeholder text: contact/index.html: template business name ("Your Company"); contact/index.html: TODO ("TODO"); contact/index.html: square bracket ("["); contact/index.html: template braces ("{{")',
      ],
    ],
    [
      'a page without the business name',
      '404.html',
      (c) => c.replaceAll("Maria's Pizzeria", 'Pizzeria'),
      ['business name on every page: 404.html: "Maria\'s Pizzeria" not found'],
    ],
    [
      'structured data with another phone number',
      'index.html',
      (c) =>
        c.replace(
          '</head>',
          '<script type="application/ld+json">{"@type":"Restaurant","telephone":"+44 113 496 0999"}</script></head>',
        ),
      [
        'phone numbers match the brief: index.html: JSON-LD telephone "+44 113 496 0999" does not dial the brief\'s "0113 496 0123"',
      ],
    ],
  ])('%s', (_name, path, edit, expected) => {
    expect(failures(pizzeriaBrief, mutate(site, path, edit))).toEqual(expected);
  });

  it('accepts structured data that dials the same number', () => {
    const files = mutate(site, 'index.html', (c) =>
      c.replace(
        '</head>',
        '<script type="application/ld+json">{"telephone":"+44 113 496 0123"}</script></head>',
      ),
    );
    expect(failures(pizzeriaBrief, files)).toEqual([]);
  });

  it('allows a claim the owner made in the brief', () => {
    const brief = { ...pizzeriaBrief, description: `${pizzeriaBrief.description} Award-winning since 2009.` };
    const files = mutate(siteOf(brief), 'index.html', intoMain('<p>Award-winning since 2009.</p>'));
    expect(failures(brief, files)).toEqual([]);
  });

  it('allows a time the owner wrote in the description, however it is written', () => {
    const brief = {
      ...pizzeriaBrief,
      description: `${pizzeriaBrief.description} The kitchen closes at 9:45pm.`,
    };
    const files = mutate(siteOf(brief), 'about/index.html', intoMain('<p>Last orders 21:45.</p>'));
    expect(failures(brief, files)).toEqual([]);
  });

  it('fails hours on a site whose brief has none', () => {
    const files = mutate(siteOf(plumberBrief), 'index.html', intoMain('<p>Open 08:00–18:00</p>'));
    expect(failures(plumberBrief, files)).toEqual([
      'opening hours match the brief: index.html: shows times 08:00, 18:00 but the brief has no opening hours',
    ]);
  });

  it('fails a phone number on a site whose brief has none', () => {
    const files = mutate(
      siteOf(dentalBrief),
      'contact/index.html',
      intoMain('<p><a href="tel:+6444990123">04 499 0123</a></p>'),
    );
    expect(failures(dentalBrief, files)).toEqual([
      'phone numbers match the brief: contact/index.html: phone "04 499 0123" shown but the brief has no phone number; contact/index.html: tel:+6444990123 but the brief has no phone number',
    ]);
  });

  it('fails a site that leaves a fact out', () => {
    const files = site.map((file) => ({
      ...file,
      content: file.content
        .replace(/<footer[\s\S]*<\/footer>/, "<footer><p>Maria's Pizzeria</p></footer>")
        .replace(/<a [^>]*href="(tel|mailto):[^>]*>[\s\S]*?<\/a>/g, ''),
    }));
    const withoutContact = files.filter(
      (file) => file.path !== 'contact/index.html' && file.path !== 'index.html',
    );
    expect(failures(pizzeriaBrief, withoutContact)).toEqual([
      'phone number is on the site: "0113 496 0123" appears on no page',
      'email address is on the site: "ciao@mariaspizzeria.co.uk" appears on no page',
      'address is on the site: no <address> block shows the full address',
      'opening hours match the brief: no page shows the opening hours of every open day',
    ]);
  });

  it('fails an empty site', () => {
    expect(failures(pizzeriaBrief, [])).toContain('site has pages: no HTML pages to check');
  });
});

describe('checkIntent on a hand-written site', () => {
  const page = (
    title: string,
    main: string,
  ) => `<!DOCTYPE html><html lang="en"><head><title>${title}</title></head>
<body><header><a href="/">Harbourside Dental Care</a></header><main>${main}</main>
<footer><address>Level 2, 88 Customhouse Quay<br>Wellington 6011, New Zealand<br>
<a href="mailto:Reception@HarboursideDental.co.nz">reception@harboursidedental.co.nz</a></address></footer></body></html>`;

  it('reads other layouts: long day names, 12-hour times, a different address order', () => {
    const files = [
      {
        path: 'index.html',
        content: page(
          'Harbourside Dental Care',
          `<h1>Calm, unhurried dentistry</h1><table><tr><td>Monday to Friday</td><td>8:00 AM – 5:00 PM</td></tr>
<tr><td>Saturday</td><td>9:00 am - 12:00 pm</td></tr><tr><td>Sunday</td><td>Closed</td></tr></table>`,
        ),
      },
      {
        path: 'treatments/index.html',
        content: page(
          'Treatments',
          `<ul>${dentalBrief.services.map((s) => `<li>${s.name}</li>`).join('')}</ul>`,
        ),
      },
    ];
    expect(failures(dentalBrief, files)).toEqual([]);
  });
});
